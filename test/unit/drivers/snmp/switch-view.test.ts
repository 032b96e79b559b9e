/**
 * What reaches the lab graph: the SwitchView built from decoded walks carries the forwarding table (bounded),
 * the switch's identities and stack members, each port's stack member and LLDP port ID; a view stored before
 * those fields existed is read back with defaults (withViewDefaults, applied where collect/snmp.ts loads views).
 */
import { describe, expect, it } from 'vitest';
import { SWITCH_VIEW_FDB_LIMIT, switchView, withViewDefaults } from '../../../../src-main/domain/health/switch-view';
import type { FdbEntry, SwitchView } from '../../../../src-main/domain/model/switches';
import { decodeObservation } from '../../../../src-main/drivers/snmp/decode/observation';
import { loadWalk } from './snmprec';

const viewOf = (name: string) => switchView(decodeObservation(loadWalk(name), '2026-01-01T00:00:00.000Z'), new Map(), new Map());

describe('the view carries what the graph joins on', () => {
  it('hand-made HP stack: the MAC table with VLAN and port, bridge address, LLDP chassis ID, members; ports with member and LLDP port ID', () => {
    const view = viewOf('handmade-hp-stack-trunks');
    expect(view.fdb).toEqual([
      { mac: '00:00:5e:00:53:01', vlan: 1, ifIndex: 3 },
      { mac: '00:1b:21:aa:00:01', vlan: 20, ifIndex: 289 },
    ]);
    expect([view.fdbCount, view.bridgeAddress, view.localChassisId, view.stackMembers.map((m) => m.index)]).toEqual([2, '02:00:00:00:20:00', '02:00:00:00:20:00', [1001, 2001]]);
    const port = view.ports.find((p) => p.name === '2/1')!;
    expect([port.stackMember, port.lldpPortId, port.lagName, port.neighbor?.remoteSystemName]).toEqual([2001, '2/1', 'Trk1', 'xen1']);
    expect(view.lags.map((l) => [l.name, l.protocol, l.source])).toEqual([
      ['Trk1', 'lacp', 'ifStack'],
      ['Trk2', 'static', 'vendor:hp-trunk'],
    ]);
  });

  it('real arubaos-cx: the whole dot1d table reaches the view; the view survives JSON unchanged (what the store keeps)', () => {
    const view = viewOf('arubaos-cx');
    expect(view.fdb.length).toBe(view.fdbCount);
    expect(view.fdb.length).toBeGreaterThan(0);
    expect(JSON.parse(JSON.stringify(view))).toEqual(view);
  });

  it('a port heard by LLDP and CDP shows the LLDP neighbour; both stay in neighbors', () => {
    const obs = decodeObservation(loadWalk('handmade-hp-stack-trunks'), 'now');
    obs.neighbors.push({ ...obs.neighbors[0]!, remoteSystemName: 'xen1.lab', remotePortId: 'eth2', source: 'cdp' });
    const view = switchView(obs, new Map(), new Map());
    expect(view.ports.find((p) => p.ifIndex === 1)!.neighbor!.source).toBe('lldp');
    expect(view.neighbors.filter((n) => n.localIfIndex === 1).map((n) => n.source)).toEqual(['lldp', 'cdp']);
  });

  it(`the forwarding table is cut at ${SWITCH_VIEW_FDB_LIMIT} entries, with a gap saying so; fdbCount keeps the total`, () => {
    const obs = decodeObservation(loadWalk('handmade-lacp-lag'), 'now');
    const n = SWITCH_VIEW_FDB_LIMIT + 123;
    obs.fdb = Array.from({ length: n }, (_, i): FdbEntry => ({ mac: `02:00:00:${((i >> 16) & 255).toString(16).padStart(2, '0')}:${((i >> 8) & 255).toString(16).padStart(2, '0')}:${(i & 255).toString(16).padStart(2, '0')}`, vlan: 1, ifIndex: 1 }));
    const view = switchView(obs, new Map(), new Map());
    expect([view.fdb.length, view.fdbCount]).toEqual([SWITCH_VIEW_FDB_LIMIT, n]);
    expect(view.gaps).toEqual([`forwarding table: ${n} entries, the view keeps the first ${SWITCH_VIEW_FDB_LIMIT}`]);
    // macCount per port counts them all.
    expect(view.ports.find((p) => p.ifIndex === 1)!.macCount).toBe(n);
  });
});

describe('views stored before these fields existed', () => {
  /** The view as the code before this change stored it: no fdb, identities, members or the new LAG/neighbour fields. */
  function oldStoredView(): SwitchView {
    const view = JSON.parse(JSON.stringify(viewOf('handmade-lacp-lag'))) as Record<string, unknown>;
    for (const key of ['fdb', 'bridgeAddress', 'localChassisId', 'stackMembers']) delete view[key];
    for (const lag of view.lags as Record<string, unknown>[]) {
      for (const key of ['sources', 'protocol', 'actorSystem', 'partnerSystem']) delete lag[key];
      for (const m of lag.members as Record<string, unknown>[]) for (const key of ['actorKey', 'partnerKey', 'partnerPort']) delete m[key];
    }
    for (const n of view.neighbors as Record<string, unknown>[]) for (const key of ['remoteManagementAddress', 'remoteCapabilities', 'remotePlatform']) delete n[key];
    for (const p of view.ports as Record<string, unknown>[]) {
      delete p.stackMember;
      delete p.lldpPortId;
      const lacp = p.lacp as Record<string, unknown> | null;
      if (lacp) for (const key of ['actorKey', 'partnerKey', 'partnerPort']) delete lacp[key];
      const neighbor = p.neighbor as Record<string, unknown> | null;
      if (neighbor) for (const key of ['remoteManagementAddress', 'remoteCapabilities', 'remotePlatform']) delete neighbor[key];
    }
    return view as unknown as SwitchView;
  }

  it('read back with defaults: an empty forwarding table, unknown identities, no members, unknown protocol and keys', () => {
    const view = withViewDefaults(oldStoredView());
    expect([view.fdb, view.fdbCount, view.bridgeAddress, view.localChassisId, view.stackMembers]).toEqual([[], 1, '', '', []]);
    const [lag] = view.lags;
    expect([lag!.source, lag!.sources, lag!.protocol, lag!.actorSystem, lag!.partnerSystem]).toEqual(['both', ['ifStack', 'lag-mib'], null, '', '']);
    expect(lag!.members.map((m) => [m.actorKey, m.partnerKey, m.partnerPort])).toEqual([[null, null, null], [null, null, null]]);
    expect(view.neighbors.map((n) => [n.remoteManagementAddress, n.remoteCapabilities, n.remotePlatform])).toEqual([['', [], ''], ['', [], '']]);
    const port7 = view.ports.find((p) => p.ifIndex === 7)!;
    expect([port7.stackMember, port7.lacp!.actorKey, port7.neighbor!.remoteCapabilities]).toEqual([null, null, []]);
  });

  it('a current view passes through unchanged', () => {
    const view = JSON.parse(JSON.stringify(viewOf('handmade-hp-stack-trunks'))) as SwitchView;
    expect(withViewDefaults(view)).toEqual(view);
  });
});
