/**
 * The proof on real recordings: Labwarden's decoding of each LibreNMS test recording
 * (test/fixtures/snmp/<name>.snmprec) equals what LibreNMS's own poller extracted from the same recording
 * (test/fixtures/snmp/<name>.json), table by table, compared as the SNMP research §3.5–3.6 explains.
 *
 * Every comparison collects its mismatches as readable lines and expects none, so a failure says which
 * port, VLAN or neighbour differs and how. Normalisations (LibreNMS's enums and strings → ours) are stated
 * where they happen; fields that cannot be compared are listed in test/fixtures/snmp/README.md.
 */
import { describe, expect, it } from 'vitest';
import { decodeObservation } from '../../../../src-main/drivers/snmp/decode/observation';
import { decodeIfStack } from '../../../../src-main/drivers/snmp/decode/stack';
import { Gaps } from '../../../../src-main/drivers/snmp/decode/values';
import type { SwitchObservation } from '../../../../src-main/domain/model/switches';
import * as O from '../../../../src-main/drivers/snmp/oids';
import type { Walk } from '../../../../src-main/drivers/snmp/varbinds';
import { loadLibreNms, loadWalk, readRecording } from './snmprec';

type Row = Record<string, unknown>;

/** LibreNMS JSON `<module>.<phase>.<table>` rows, or null when the module is not in the file. */
function rows(json: Record<string, unknown>, module: string, phase: string, table: string): Row[] | null {
  const m = json[module] as Record<string, Record<string, Row[]>> | undefined;
  return m?.[phase]?.[table] ?? null;
}

/** IANAifType labels LibreNMS stores, for the types in these recordings. */
const IFTYPE: Record<number, string> = {
  1: 'other', 6: 'ethernetCsmacd', 23: 'ppp', 24: 'softwareLoopback', 53: 'propVirtual', 117: 'gigabitEthernet',
  131: 'tunnel', 135: 'l2vlan', 136: 'l3ipvlan', 142: 'ipForward', 161: 'ieee8023adLag', 209: 'bridge',
};

const cache = new Map<string, { walk: Walk; obs: SwitchObservation; json: Record<string, unknown> }>();
function load(name: string) {
  let hit = cache.get(name);
  if (!hit) {
    const walk = loadWalk(name);
    hit = { walk, obs: decodeObservation(walk, '2026-01-01T00:00:00Z'), json: loadLibreNms(name) };
    cache.set(name, hit);
  }
  return hit;
}

/** The recording's own dot1dBasePortIfIndex, read straight from the file (independent of the decoders). */
function bridgeMapOf(name: string): Map<number, number> {
  const map = new Map<number, number>();
  for (const vb of readRecording(name)) {
    if (vb.oid.startsWith(O.dot1dBasePortIfIndex + '.')) map.set(Number(vb.oid.slice(O.dot1dBasePortIfIndex.length + 1)), vb.value as number);
  }
  return map;
}

const WITH_PORTS = ['arubaos-cx', 'dlink_dgs-1510-28', 'dlink_dgs-3627g', 'dsm', 'edgeswitch_us-8-v2', 'linux_lsi', 'procurve', 'tplink_sg2008'];
const WITH_VLANS = ['dlink_dgs-1510-28', 'dlink_dgs-3627g', 'edgeswitch_us-8-v2', 'procurve', 'tplink_sg2008'];
const WITH_LLDP = ['arubaos-cx', 'dlink_dgs-1510-28', 'dlink_dgs-3627g', 'edgeswitch_us-8-v2', 'procurve'];
const WITH_ENTITY = ['arubaos-cx', 'dlink_dgs-1510-28', 'dlink_dgs-3627g', 'edgeswitch_us-8-v2', 'procurve'];
const WITH_IPV4 = ['dlink_dgs-1510-28', 'dlink_dgs-3627g', 'dsm', 'edgeswitch_us-8-v2', 'linux_lsi', 'procurve', 'tplink_sg2008'];

describe('ports: ifTable + ifXTable + EtherLike duplex + dot1qPvid equal LibreNMS ports.poller.ports', () => {
  it.each(WITH_PORTS)('%s', (name) => {
    const { obs, json } = load(name);
    const theirs = rows(json, 'ports', 'poller', 'ports')!;
    const ours = new Map(obs.ports.map((p) => [p.ifIndex, p]));
    const bad: string[] = [];
    for (const t of theirs) {
      const ifIndex = t.ifIndex as number;
      const p = ours.get(ifIndex);
      if (!p) {
        bad.push(`ifIndex ${ifIndex}: missing`);
        continue;
      }
      const check = (field: string, mine: unknown, expected: unknown) => {
        if (mine !== expected) bad.push(`ifIndex ${ifIndex} ${field}: ours ${JSON.stringify(mine)}, LibreNMS ${JSON.stringify(expected)}`);
      };
      check('ifName', p.name, t.ifName);
      check('ifDescr', p.descr, t.ifDescr);
      // LibreNMS shows ifDescr as the alias of a port without one ("Using ifDescr as ifAlias"); ours stays ''.
      check('ifAlias', p.alias || p.descr, t.ifAlias ?? '');
      check('ifType', IFTYPE[p.type] ?? `type ${p.type}`, t.ifType);
      check('ifAdminStatus', p.adminUp, t.ifAdminStatus === 'up');
      check('ifOperStatus', p.operUp, t.ifOperStatus === 'up');
      // LibreNMS: ifSpeed (bit/s) = ifHighSpeed × 10^6 when the agent has ifHighSpeed, else ifSpeed.
      check('speed (bit/s)', p.speedMbps === null ? 0 : Math.round(p.speedMbps * 1e6), t.ifSpeed ?? 0);
      check('ifMtu', p.mtu, t.ifMtu);
      // LibreNMS: bare lower-case hex, null for none.
      check('ifPhysAddress', p.mac.replaceAll(':', ''), t.ifPhysAddress ?? '');
      // dot3StatsDuplexStatus: LibreNMS keeps the label (fullDuplex/halfDuplex/unknown), null without the column.
      check('duplex', p.duplex, t.ifDuplex === 'fullDuplex' ? 'full' : t.ifDuplex === 'halfDuplex' ? 'half' : null);
      // ifVlan is the PVID as a string, null off the bridge.
      check('pvid', p.pvid === null ? null : String(p.pvid), t.ifVlan ?? null);
      // Counters: LibreNMS takes ifHC* when non-zero, else the 32-bit ifTable counter, and stores 0 for a
      // counter the agent lacks (ours: null; that null means "absent" is held by the no-gaps test below).
      check('ifInOctets', String(p.inOctets ?? 0n), String(t.ifInOctets ?? 0));
      check('ifOutOctets', String(p.outOctets ?? 0n), String(t.ifOutOctets ?? 0));
      check('ifInErrors', p.inErrors ?? 0, t.ifInErrors ?? 0);
      check('ifOutErrors', p.outErrors ?? 0, t.ifOutErrors ?? 0);
    }
    // LibreNMS drops an interface with no ifDescr, ifName or ifAlias (is_port_valid: "empty ifDescr");
    // we keep it (it is a real row, and may carry VLANs or a neighbour), so it is the one allowed extra.
    const theirIfIndexes = new Set(theirs.map((t) => t.ifIndex));
    for (const p of obs.ports) {
      if (theirIfIndexes.has(p.ifIndex)) continue;
      if (p.name === '' && p.descr === '' && p.alias === '') continue;
      bad.push(`ifIndex ${p.ifIndex} (${p.name}): only ours`);
    }
    expect(bad).toEqual([]);
  });
});

describe('ifStack and LAG members equal LibreNMS ports-stack (high/low swapped back, zero rows dropped)', () => {
  // LibreNMS/Modules/PortsStack.php stores IF-MIB's higher layer as low_ifIndex and the lower as
  // high_ifIndex, and drops rows naming ifIndex 0; swapped back, its rows are IF-MIB's (higher, lower).
  const theirStack = (json: Record<string, unknown>) =>
    rows(json, 'ports-stack', 'discovery', 'ports_stack')!.map((r) => ({ higher: r.low_ifIndex as number, lower: r.high_ifIndex as number, status: r.ifStackStatus }));

  it('procurve: every active stack row', () => {
    const { walk, json } = load('procurve');
    const theirs = theirStack(json);
    expect(theirs.every((r) => r.status === 'active')).toBe(true);
    const key = (r: { higher: number; lower: number }) => `${r.higher}.${r.lower}`;
    const ours = decodeIfStack(walk, new Gaps()).map(key).sort();
    expect(ours).toEqual(theirs.map(key).sort());
    expect(ours).toHaveLength(69);
  });

  it('procurve: Trk1 (ifIndex 962, ifType 161) over A1 and A2 is the one LAG, as the stack rows under 962 say', () => {
    const { obs, json } = load('procurve');
    const membersOf962 = theirStack(json).filter((r) => r.higher === 962).map((r) => r.lower).sort((a, b) => a - b);
    expect(obs.lags.map((l) => ({ ifIndex: l.ifIndex, name: l.name, members: l.memberIfIndexes, source: l.source }))).toEqual([
      { ifIndex: 962, name: 'Trk1', members: membersOf962, source: 'ifStack' },
    ]);
    expect(membersOf962).toEqual([55, 56]);
    // The VLAN interfaces stacked on Trk1 (1250.962, 1268.962, …) are not members: their ifType is not a port's.
    expect(obs.ports.filter((p) => p.lagIfIndex === 962).map((p) => p.name)).toEqual(['A1', 'A2']);
    // The bridge port (962) and so the PVID belong to Trk1; its members have none. (Bridge port 962 lies
    // past the 16 real octets of this recording's mangled PortLists, so no VLAN bit reaches it — nor LibreNMS.)
    expect(obs.ports.filter((p) => [55, 56, 962].includes(p.ifIndex)).map((p) => [p.name, p.pvid])).toEqual([
      ['A1', null],
      ['A2', null],
      ['Trk1', 1],
    ]);
  });

  it('arubaos-cx (no ports-stack module in its JSON): lag53 over 1/1/53+1/1/54 and lag250 over 1/1/1+1/1/2; notInService rows ignored', () => {
    const { obs } = load('arubaos-cx');
    const named = obs.lags.map((l) => [l.name, l.memberIfIndexes.map((i) => obs.ports.find((p) => p.ifIndex === i)!.name)]);
    expect(named).toEqual([
      ['lag53', ['1/1/53', '1/1/54']],
      ['lag250', ['1/1/1', '1/1/2']],
    ]);
  });
});

describe('VLANs and memberships equal LibreNMS vlans and ports_vlans', () => {
  it.each(WITH_VLANS)('%s: VLAN ids and names', (name) => {
    const { obs, json } = load(name);
    const theirs = rows(json, 'vlans', 'discovery', 'vlans')!.map((v) => ({ id: v.vlan_vlan as number, name: (v.vlan_name as string) ?? '' }));
    expect(obs.vlans).toEqual([...theirs].sort((a, b) => a.id - b.id));
  });

  it.each(WITH_VLANS)('%s: (vlan, bridge port, untagged), restricted to ifIndexes LibreNMS has ports for', (name) => {
    const { obs, json } = load(name);
    const bridge = bridgeMapOf(name);
    const theirPorts = new Set(rows(json, 'ports', 'discovery', 'ports')!.map((p) => p.ifIndex as number));
    const toBridgePort = new Map([...bridge].map(([bp, ifIndex]) => [ifIndex, bp]));
    const ours: string[] = [];
    for (const p of obs.ports) {
      if (!theirPorts.has(p.ifIndex)) continue;
      const bp = toBridgePort.get(p.ifIndex);
      for (const v of p.untaggedVlans) ours.push(`${v}/${bp}/1`);
      for (const v of p.taggedVlans) ours.push(`${v}/${bp}/0`);
    }
    const theirs = rows(json, 'vlans', 'discovery', 'ports_vlans')!
      .filter((r) => theirPorts.has(bridge.get(r.baseport as number) ?? -1))
      .map((r) => `${r.vlan}/${r.baseport}/${r.untagged}`);
    expect(ours.sort()).toEqual(theirs.sort());
    expect(ours.length).toBeGreaterThan(0);
  });
});

describe('LLDP neighbours equal LibreNMS discovery-protocols links', () => {
  /** net-snmp prints a binary ID as spaced upper-case hex ("B8 A4 4F 1B E2 1D"); ours is colon hex. */
  const normalise = (id: string) => (/^([0-9A-Fa-f]{2} )*[0-9A-Fa-f]{2}$/.test(id) ? id.toLowerCase().replaceAll(' ', ':') : id);
  const bare = (id: string) => id.replaceAll(':', '').toLowerCase();

  it.each(WITH_LLDP)('%s', (name) => {
    const { obs, json } = load(name);
    const byIfIndex = new Map(obs.ports.map((p) => [p.ifIndex, p]));
    // LibreNMS names the remote system by lldpRemSysName, else lldpRemSysDesc, and skips a row with neither.
    const hostnameOf = (n: SwitchObservation['neighbors'][number]) => n.remoteSystemName || n.remoteSystemDescr;
    const candidates = obs.neighbors.filter((n) => hostnameOf(n) !== '');
    const links = rows(json, 'discovery-protocols', 'discovery', 'links')!.filter((l) => l.protocol === 'lldp');
    const unmatched: string[] = [];
    const used = new Set<number>();
    for (const link of links) {
      // remote_port is "<id> (<mac>)": the id is lldpRemPortId — or lldpRemChassisId when the chassis
      // subtype is interfaceName/interfaceAlias (VMware sends the vmnic there) — and the mac is the port
      // ID's when it is a MAC, else the chassis ID's when that is one, else empty.
      const m = /^(.*) \(([0-9a-f]*)\)$/.exec(link.remote_port as string);
      const [id, mac] = m ? [normalise(m[1]!), m[2]!] : [normalise(link.remote_port as string), ''];
      const hit = candidates.findIndex((n, i) => {
        const local = byIfIndex.get(n.localIfIndex);
        return (
          !used.has(i) &&
          local?.name === link.ifName &&
          local?.descr === link.ifDescr &&
          hostnameOf(n) === link.remote_hostname &&
          (n.remotePortId === id || n.remoteChassisId === id) &&
          (mac === '' || bare(n.remotePortId) === mac || bare(n.remoteChassisId) === mac)
        );
      });
      if (hit < 0) unmatched.push(`${link.ifName}: ${link.remote_hostname} ${link.remote_port}`);
      else used.add(hit);
    }
    expect(unmatched).toEqual([]);
    const extra = candidates.filter((_, i) => !used.has(i)).map((n) => `${byIfIndex.get(n.localIfIndex)?.name}: ${hostnameOf(n)} ${n.remotePortId}`);
    expect(extra).toEqual([]);
    expect(links.length).toBeGreaterThan(0);
  });

  it('procurve: the neighbour with neither name nor description (LibreNMS skips it) is still ours, by chassis and port', () => {
    const { obs } = load('procurve');
    expect(obs.neighbors.filter((n) => !n.remoteSystemName && !n.remoteSystemDescr)).toEqual([
      expect.objectContaining({ localIfIndex: 31, remoteChassisId: '3c:ec:ef:76:4c:88', remotePortId: '3c:ec:ef:76:4c:88', source: 'lldp' }),
    ]);
  });
});

describe('Synology NAS health equals the state and temperature sensors LibreNMS made of the dsm recording', () => {
  const { obs, json } = load('dsm');
  const sensors = rows(json, 'sensors', 'discovery', 'sensors')!;
  const states = rows(json, 'sensors', 'discovery', 'state_indexes')!;
  /** A state sensor's reading as its label, first letter lower-cased: LibreNMS "NotInitialized" = our "notInitialized". */
  const stateOf = (s: Row) => {
    const st = states.find((x) => x.state_name === s.sensor_type && x.state_value === s.sensor_current)!;
    const label = st.state_descr as string;
    return label[0]!.toLowerCase() + label.slice(1);
  };
  const sensor = (oid: string) => sensors.find((s) => s.sensor_oid === `.${oid}`)!;
  const nas = obs.nas!;

  it('system, power and fans', () => {
    expect(nas.system).toBe(stateOf(sensor('1.3.6.1.4.1.6574.1.1.0')));
    expect(nas.power).toBe(stateOf(sensor('1.3.6.1.4.1.6574.1.3.0')));
    const fans = [stateOf(sensor('1.3.6.1.4.1.6574.1.4.1.0')), stateOf(sensor('1.3.6.1.4.1.6574.1.4.2.0'))];
    expect(nas.fans).toBe(fans.includes('failed') ? 'failed' : 'normal');
    expect(nas.temperatureC).toBe(sensor('1.3.6.1.4.1.6574.1.2.0').sensor_current);
    expect([nas.model, nas.version]).toEqual(['RS2212RP+', 'DSM 6.1-15217']);
  });

  it('every disk: status and temperature (LibreNMS names a disk "<diskID> <diskModel>")', () => {
    const diskStates = sensors.filter((s) => s.sensor_type === 'diskStatusState');
    const diskTemps = sensors.filter((s) => s.sensor_class === 'temperature' && (s.sensor_oid as string).startsWith('.1.3.6.1.4.1.6574.2.'));
    const ours = nas.disks.map((d) => ({ name: `${d.id} ${d.model}`, status: d.status, temperatureC: d.temperatureC }));
    const theirs = diskStates.map((s) => ({
      name: s.sensor_descr,
      status: stateOf(s),
      temperatureC: diskTemps.find((t) => t.sensor_index === s.sensor_index)!.sensor_current,
    }));
    const byName = (a: { name: unknown }, b: { name: unknown }) => String(a.name).localeCompare(String(b.name));
    expect(ours.sort(byName)).toEqual(theirs.sort(byName));
    expect(ours).toHaveLength(22);
    // Disk 1 (ST3320620NS) is "initialized", not "normal": the one state that is not fine in this recording.
    expect(nas.disks.filter((d) => d.status !== 'normal').map((d) => [d.id, d.status])).toEqual([['Disk 1', 'initialized']]);
  });

  it('every RAID volume: status', () => {
    const theirs = sensors.filter((s) => s.sensor_type === 'raidStatusState').map((s) => ({ name: s.sensor_descr, status: stateOf(s) }));
    expect(nas.raids.map((r) => ({ name: r.name, status: r.status }))).toEqual(theirs);
  });
});

describe('Linux bonds seen over SNMP are host bonds', () => {
  it('dsm: bond0 (ifType 6, 2000 Mb/s) is a host bond; no extend output, so no members or mode', () => {
    const { obs } = load('dsm');
    expect(obs.hostBonds).toEqual([{ name: 'bond0', ifIndex: 7, members: [], mode: '' }]);
    const bond0 = obs.ports.find((p) => p.ifIndex === 7)!;
    expect([bond0.type, bond0.speedMbps]).toEqual([6, 2000]);
    expect(obs.lags).toEqual([]);
  });

  it('linux_lsi: bond0 is a host bond; its one extend ("zfs", a sudo error) is not bonding text and is ignored', () => {
    const { obs } = load('linux_lsi');
    expect(obs.hostBonds).toEqual([{ name: 'bond0', ifIndex: 4, members: [], mode: '' }]);
    expect(obs.gaps).toEqual([]);
  });
});

describe('other tables against LibreNMS', () => {
  it.each(WITH_ENTITY)('%s: chassis model and serial equal that entPhysical row', (name) => {
    const { obs, json } = load(name);
    const entities = rows(json, 'entity-physical', 'discovery', 'entPhysical')!;
    const chassis = entities.filter((e) => e.entPhysicalClass === 'chassis').sort((a, b) => (a.entPhysicalIndex as number) - (b.entPhysicalIndex as number))[0]!;
    expect([obs.model, obs.serial]).toEqual([chassis.entPhysicalModelName ?? '', chassis.entPhysicalSerialNum ?? '']);
    expect(obs.model).not.toBe('');
  });

  it.each(WITH_ENTITY)('%s: stack members, and the member each port sits on, equal LibreNMS’s entPhysical rows (chassis rows; ifIndex and containment)', (name) => {
    const { obs, json } = load(name);
    const entities = rows(json, 'entity-physical', 'discovery', 'entPhysical')!;
    const chassis = entities.filter((e) => e.entPhysicalClass === 'chassis').sort((a, b) => (a.entPhysicalIndex as number) - (b.entPhysicalIndex as number));
    const str = (v: unknown) => (typeof v === 'string' ? v.trim() : '');
    expect(obs.stackMembers.map((m) => ({ index: m.index, name: m.name, model: m.model, serial: m.serial }))).toEqual(
      chassis.map((c) => ({ index: c.entPhysicalIndex, name: str(c.entPhysicalName), model: str(c.entPhysicalModelName), serial: str(c.entPhysicalSerialNum) })),
    );
    // LibreNMS resolves entAliasMappingIdentifier into the row's ifIndex; walking its entPhysicalContainedIn up to
    // a chassis row gives the member each of those ports sits on.
    const byIndex = new Map(entities.map((e) => [e.entPhysicalIndex as number, e]));
    const memberOf = (start: number): number | null => {
      let at: number | undefined = start;
      for (let depth = 0; at && depth < 64; depth++) {
        const e = byIndex.get(at);
        if (!e) return null;
        if (e.entPhysicalClass === 'chassis') return at;
        at = e.entPhysicalContainedIn as number | undefined;
      }
      return null;
    };
    const ourIfIndexes = new Set(obs.ports.map((p) => p.ifIndex));
    const theirs = entities
      .filter((e) => typeof e.ifIndex === 'number' && ourIfIndexes.has(e.ifIndex) && memberOf(e.entPhysicalIndex as number) !== null)
      .map((e) => `${e.ifIndex}@${memberOf(e.entPhysicalIndex as number)}`);
    const ours = obs.ports.filter((p) => p.stackMember !== null).map((p) => `${p.ifIndex}@${p.stackMember}`);
    expect(ours.sort()).toEqual(theirs.sort());
  });

  it.each(WITH_IPV4)('%s: IPv4 addresses, prefix lengths and ifIndexes equal ipv4-addresses', (name) => {
    const { obs, json } = load(name);
    // tplink_sg2008 has no ipAdEntNetMask row for 192.168.0.240: LibreNMS fills in a /24, we say null
    // (unknown). Such an address is compared without its prefix, and only when the mask is really absent.
    const masked = new Set(readRecording(name).filter((vb) => vb.oid.startsWith(O.ipAdEntNetMask + '.')).map((vb) => vb.oid.slice(O.ipAdEntNetMask.length + 1)));
    const unknownPrefix = new Set(obs.addresses.filter((a) => a.prefixLength === null).map((a) => a.address));
    for (const a of unknownPrefix) expect(masked.has(a)).toBe(false);
    const show = (address: unknown, prefix: unknown, ifIndex: unknown) => `${address}/${unknownPrefix.has(address as string) ? '?' : prefix}@${ifIndex}`;
    const theirs = rows(json, 'ipv4-addresses', 'discovery', 'ipv4_addresses')!.map((a) => show(a.ipv4_address, a.ipv4_prefixlen, a.ifIndex));
    const ours = obs.addresses.filter((a) => a.address.includes('.')).map((a) => show(a.address, a.prefixLength, a.ifIndex));
    expect(ours.sort()).toEqual(theirs.sort());
  });

  it('linux_lsi: the IPv6 addresses LibreNMS keeps (it skips loopback ::1) are ours too, prefix and ifIndex alike', () => {
    const { obs, json } = load('linux_lsi');
    const theirs = rows(json, 'ipv6-addresses', 'discovery', 'ipv6_addresses')!.map((a) => `${a.ipv6_compressed}/${a.ipv6_prefixlen}@${a.ifIndex}`);
    const ours = obs.addresses.filter((a) => a.address.includes(':') && a.address !== '::1').map((a) => `${a.address}/${a.prefixLength}@${a.ifIndex}`);
    expect(ours).toEqual(theirs);
  });

  it.each([...WITH_PORTS, 'netgear_3'])('%s decodes without a gap', (name) => {
    expect(load(name).obs.gaps).toEqual([]);
  });
});
