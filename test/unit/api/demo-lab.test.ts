import { describe, it, expect, afterEach } from 'vitest';
import { makeHarness, type Harness } from '../helpers/harness';

let h: Harness;
afterEach(() => h?.close());

describe('the built-in demo lab', () => {
  it('is offered on an empty database and opens as the lab it describes', async () => {
    h = makeHarness();
    expect((await h.api['app.info']()).firstRun).toBe(true);
    const info = await h.api['app.chooseStart']('demo');
    expect(info.firstRun).toBe(false);
    expect(info.labName).toContain('XenServer');

    const devices = await h.api['devices.list']();
    const byKind = (kind: string) => devices.filter((d) => d.kind === kind);
    expect(byKind('xen-pool')).toHaveLength(1);
    expect(byKind('xen-host').map((d) => d.name)).toEqual(['xen1', 'xen2', 'xen3', 'xen4']);
    expect(byKind('xen-host').every((d) => d.memberOfName === 'hp-pool' && d.vendor === 'HP')).toBe(true);
    expect(byKind('switch')).toHaveLength(2);
    expect(byKind('nas').map((d) => d.model)).toEqual(['RackStation RS2212RP+']);
    expect(byKind('iscsi-san').map((d) => d.model)).toEqual(['ShareCenter Pro DNS-1550-04']);

    // Each host: one management NIC, two bonded VM NICs, one storage NIC on its own VLAN.
    for (const host of byKind('xen-host')) {
      const detail = await h.api['devices.get'](host.id);
      expect(detail.ports.map((p) => [p.name, p.role, p.aggregate])).toEqual([
        ['eth0', 'management', ''],
        ['eth1', 'vm', 'bond0'],
        ['eth2', 'vm', 'bond0'],
        ['eth3', 'storage', ''],
      ]);
      const storage = detail.ports.find((p) => p.role === 'storage')!;
      expect(storage.untaggedVlan).toBe(20);
      expect(detail.ports.every((p) => p.link !== null)).toBe(true);
    }

    const luns = (await h.api['targets.list']()).flatMap((t) => t.luns.map((l) => [l.use, l.sizeBytes]));
    expect(luns).toEqual([
      ['ha-heartbeat', 10e9],
      ['vm-storage', 1e12],
    ]);
  });

  it('is not offered again once the user has chosen to start empty', async () => {
    h = makeHarness();
    const info = await h.api['app.chooseStart']('empty');
    expect(info.firstRun).toBe(false);
    expect(await h.api['devices.list']()).toEqual([]);
  });
});
