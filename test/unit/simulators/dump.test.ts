/**
 * Loading real xapi dumps (XenCenter's test resources, see test/fixtures/xapi/README.md): every table
 * keeps its rows, field names lose the dump's `__`, maps and sets parse, and the reverse relations xapi
 * never writes to its dump are rebuilt from the forward refs. Counts are checked against the dump text
 * itself, not against the loader.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { DUMP_LIMITS, DumpError, readDump, startXapiSimulator, type XapiSimulator } from '../../../src-main/simulators/xapi';
import { fixture } from './wire';

const FIXTURES = ['cowley1.xml', 'state4.xml', 'TampaTwoHostPoolSelectioniSCSI.xml', 'boston-db.xml'];

/** Rows per table, counted in the raw XML with a regex (independent of the loader). */
function rowCounts(xml: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const m of xml.matchAll(/<table name="([^"]+)"(\/>|>([\s\S]*?)<\/table>)/g)) {
    counts.set(m[1]!, m[3] === undefined ? 0 : (m[3].match(/<row\s/g) ?? []).length);
  }
  return counts;
}

const sims: XapiSimulator[] = [];
afterAll(() => Promise.all(sims.map((sim) => sim.close())));
async function simOf(name: string) {
  const sim = await startXapiSimulator({ dump: fixture(name) });
  sims.push(sim);
  return sim;
}

describe('every fixture loads whole', () => {
  for (const name of FIXTURES) {
    it(`${name}: every table has exactly the dump's rows, and the served classes serve them all`, async () => {
      const xml = fixture(name);
      const expected = rowCounts(xml);
      expect(expected.size).toBeGreaterThan(30);
      const dump = readDump(xml);
      expect(new Map([...dump.tables].map(([table, rows]) => [table, rows.length]))).toEqual(expected);
      const sim = await simOf(name);
      for (const cls of ['host', 'PIF', 'PIF_metrics', 'Bond', 'VLAN', 'network', 'SR', 'PBD', 'VDI', 'pool', 'VM'] as const) {
        expect(sim.records(cls), `${name} ${cls}`).toHaveLength(expected.get(cls) ?? 0);
      }
    });
  }

  it('names fields as the API does (name__label → name_label) and keeps bookkeeping out', () => {
    const host = readDump(fixture('TampaTwoHostPoolSelectioniSCSI.xml')).tables.get('host')![0]!;
    expect(host.fields.get('name_label')).toBe('dt16');
    expect(host.fields.get('API_version_major')).toBe('2');
    expect(host.fields.get('memory_overhead')).toBe('193835008');
    for (const bookkeeping of ['ref', '_ref', '_ctime', '_mtime', '__ctime', 'name__label']) expect(host.fields.has(bookkeeping)).toBe(false);
  });
});

describe('cowley1.xml relations, rebuilt', () => {
  it('gives each Bond its two slaves and each bond master its bond in bond_master_of', async () => {
    const sim = await simOf('cowley1.xml');
    const bonds = sim.records('Bond');
    expect(bonds).toHaveLength(2);
    for (const bond of bonds) {
      const slaves = bond.fields.slaves as string[];
      expect(slaves).toHaveLength(2);
      expect(slaves.map((ref) => sim.get('PIF', ref)!.device).sort()).toEqual(['eth3', 'eth4']);
      for (const slave of slaves) expect(sim.get('PIF', slave)!.bond_slave_of).toBe(bond.ref);
      const master = sim.get('PIF', bond.fields.master as string)!;
      expect(master.device).toBe('bond0');
      expect(master.bond_master_of).toEqual([bond.ref]);
    }
    const others = sim.records('PIF').filter((pif) => pif.fields.device !== 'bond0');
    expect(others.every((pif) => (pif.fields.bond_master_of as string[]).length === 0)).toBe(true);
  });

  it('puts the tag-2 VLAN in VLAN_slave_of of eth2 and in VLAN_master_of of the VLAN PIF', async () => {
    const sim = await simOf('cowley1.xml');
    for (const host of ['grimsby', 'chester']) {
      const eth2 = sim.get('PIF', sim.findPif(host, 'eth2')!)!;
      const vlanPif = sim.findPif(host, 'eth2', 2)!;
      const [vlanRef] = eth2.VLAN_slave_of as string[];
      const vlan = sim.get('VLAN', vlanRef!)!;
      expect(vlan.tag).toBe('2');
      expect(vlan.untagged_PIF).toBe(vlanPif);
      expect(sim.get('PIF', vlanPif)!.VLAN_master_of).toBe(vlanRef);
      expect(eth2.VLAN_master_of).toBe('OpaqueRef:NULL');
    }
  });

  it('rebuilds host.PIFs, network.PIFs, host.PBDs and SR.PBDs from the forward refs', async () => {
    const sim = await simOf('cowley1.xml');
    for (const host of sim.records('host')) {
      const pifs = sim.records('PIF').filter((pif) => pif.fields.host === host.ref).map((pif) => pif.ref);
      expect(host.fields.PIFs).toEqual(pifs);
      expect(pifs).toHaveLength(8);
      expect(host.fields.PBDs).toEqual(sim.records('PBD').filter((pbd) => pbd.fields.host === host.ref).map((pbd) => pbd.ref));
    }
    for (const network of sim.records('network')) {
      expect(network.fields.PIFs).toEqual(sim.records('PIF').filter((pif) => pif.fields.network === network.ref).map((pif) => pif.ref));
    }
    for (const sr of sim.records('SR')) {
      expect(sr.fields.PBDs).toEqual(sim.records('PBD').filter((pbd) => pbd.fields.SR === sr.ref).map((pbd) => pbd.ref));
    }
  });

  it('keeps fields that version of xapi did not have absent (a pre-Boston Bond has no mode)', async () => {
    const sim = await simOf('cowley1.xml');
    expect(Object.keys(sim.records('Bond')[0]!.fields).sort()).toEqual(['master', 'other_config', 'slaves', 'uuid']);
  });
});

describe('maps and sets from real dumps', () => {
  it('reads lvmoiscsi device_config and multipath other_config as maps', async () => {
    const tampa = await simOf('TampaTwoHostPoolSelectioniSCSI.xml');
    const iscsi = tampa.records('PBD').find((pbd) => (pbd.fields.device_config as Record<string, string>).targetIQN !== undefined)!;
    expect(iscsi.fields.device_config).toMatchObject({ port: '3260', target: '10.80.228.43', SCSIid: expect.stringMatching(/^36/) });
    const state4 = await simOf('state4.xml');
    const mpath = state4.records('PBD').find((pbd) => 'mpath-S161b6ac7VIRTUAL-DISK' in (pbd.fields.other_config as object))!;
    expect(mpath.fields.other_config).toEqual({ 'mpath-S161b6ac7VIRTUAL-DISK': '[2, 2]', multipathed: 'true', iscsi_sessions: '2' });
  });

  it('unescapes \\\' and \\\\ inside s-expression strings (SM configuration, guest os_version)', async () => {
    const sim = await simOf('TampaTwoHostPoolSelectioniSCSI.xml');
    const iso = sim.records('SM').find((sm) => (sm.fields.configuration as Record<string, string>).options !== undefined)!;
    expect((iso.fields.configuration as Record<string, string>).options).toBe("extra options to pass to mount (deprecated) (e.g. '-o ro')");
  });
});

describe('refusals', () => {
  const minimal = (inner: string) => `<database><manifest><pair key="generation_count" value="1"/></manifest>${inner}</database>`;

  it('refuses a DOCTYPE, a row nested in a row, a duplicate ref, a row without ref, and broken XML', () => {
    const bad = [
      `<?xml version="1.0"?><!DOCTYPE database [<!ENTITY x "y">]>${minimal('')}`,
      minimal('<table name="PIF"><row ref="a"><row ref="b"/></row></table>'),
      minimal('<table name="PIF"><row ref="a"/><row ref="a"/></table>'),
      minimal('<table name="PIF"><row uuid="x"/></table>'),
      minimal('<table name="PIF"><row ref="a" MTU="1500"></table>'),
      '<results/>',
    ];
    for (const xml of bad) expect(() => readDump(xml), xml).toThrow(DumpError);
  });

  it('refuses a dump over the size cap before parsing it', async () => {
    const huge = minimal(`<table name="PIF"><row ref="a" x="${'a'.repeat(DUMP_LIMITS.maxBytes)}"/></table>`);
    expect(() => readDump(huge)).toThrow(/larger than/);
    await expect(startXapiSimulator({ dump: huge })).rejects.toThrow(DumpError);
  });

  it('rejects an unbalanced map in a typed field as a DumpError naming the row and field', () => {
    const xml = minimal('<table name="PIF"><row ref="OpaqueRef:p" other_config="((\'k\' \'v\')"/></table>');
    return expect(startXapiSimulator({ dump: xml })).rejects.toThrow(/PIF OpaqueRef:p field other_config/);
  });
});
