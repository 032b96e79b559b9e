import { describe, it, expect, afterEach } from 'vitest';
import { makeHarness, failure, type Harness } from '../helpers/harness';
import { buildRichLab, labContent, AWKWARD_NOTES, MULTILINE_NOTES } from '../helpers/rich-lab';
import { prng, type Prng } from '../helpers/prng';
import { parseInventoryYaml } from '../../../src-main/api/interchange/yaml';

const open: Harness[] = [];
function harness(): Harness {
  const h = makeHarness();
  open.push(h);
  return h;
}
afterEach(() => {
  for (const h of open.splice(0)) h.close();
});

/** The 1-based line of the first line containing `needle` (the test fails if there is none). */
function lineOf(text: string, needle: string, occurrence = 1): number {
  let seen = 0;
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    if (lines[i]!.includes(needle) && ++seen === occurrence) return i + 1;
  }
  throw new Error(`no line ${occurrence} containing ${JSON.stringify(needle)}`);
}

async function demoLab(): Promise<{ h: Harness; yaml: string }> {
  const h = harness();
  await h.api['inventory.openDemo']();
  return { h, yaml: await h.api['inventory.exportYaml']() };
}

describe('YAML export and import: a lossless round trip', () => {
  it('exports the demo lab, imports it into a fresh lab, and exports the identical text again', async () => {
    const { h, yaml } = await demoLab();
    const fresh = harness();
    const summary = await fresh.api['inventory.importYaml'](yaml);
    expect(summary.counts).toEqual(await h.api['inventory.counts']());
    expect(await fresh.api['inventory.exportYaml']()).toBe(yaml);
    expect(await labContent(fresh.api)).toEqual(await labContent(h.api));
    expect((await fresh.api['app.info']()).labName).toBe((await h.api['app.info']()).labName);
  });

  it('keeps IPv6 addresses, SNMPv3 settings, odd notes, number-like names and exact LUN sizes through export → import → export', async () => {
    const built = harness();
    await buildRichLab(built.api);
    const yaml = await built.api['inventory.exportYaml']();

    const fresh = harness();
    await fresh.api['inventory.importYaml'](yaml);
    expect(await fresh.api['inventory.exportYaml']()).toBe(yaml);
    expect(await labContent(fresh.api)).toEqual(await labContent(built.api));

    // Spot checks of what a user would look for, read back from the re-imported lab.
    const devices = await fresh.api['devices.list']();
    const byName = (name: string) => devices.find((d) => d.name === name)!;
    const host = await fresh.api['devices.get'](byName('xen-01').id);
    expect(host.address).toBe('fe80::1%eth0');
    expect([host.vendor, host.model, host.location]).toEqual(['null', 'true', '~']);
    expect(host.notes).toBe(AWKWARD_NOTES);
    expect(host.memberOfName).toBe('lab-pool');
    expect(host.snmp).toEqual({
      version: 'v3',
      port: 1161,
      v3User: 'labwarden',
      v3Level: 'authNoPriv',
      v3AuthProtocol: 'sha512',
      v3PrivProtocol: 'aes256b',
    });
    expect(host.ports.map((p) => [p.name, p.mac, p.taggedVlans])).toEqual([
      ['eth0', '00:1b:21:3a:4f:10', []],
      ['eth1', '00:1b:21:3a:4f:11', [20, 4094]],
    ]);
    const sw = await fresh.api['devices.get'](byName('sw-1').id);
    expect(sw.ports.map((p) => p.name).sort()).toEqual(['01', '1', '1.0', '10', 'yes']);
    expect([sw.vendor, sw.model]).toEqual(['0012', '1e3']);
    expect(sw.notes).toBe(MULTILINE_NOTES);
    expect(sw.ports.find((p) => p.name === '10')!.notes).toBe(' leading and trailing spaces ');
    expect(byName('lab-pool').xenapi).toEqual({ url: 'https://[2001:db8::10]:443', username: 'root' });

    const [store] = (await fresh.api['targets.list']()).filter((t) => t.deviceName === 'san-1');
    expect(store!.portals).toEqual([
      { address: 'fe80::1', port: 3260 },
      { address: '10.0.20.20', port: 3261 },
      { address: 'fe80::2%eth1', port: 3260 },
    ]);
    expect(store!.luns.map((l) => [l.lun, l.sizeBytes])).toEqual([
      [0, 2 ** 40],
      [1, 123_456_789],
      [7, 1e12 + 1],
      [16383, 1],
    ]);
  });

  it('writes sizes and portals the way a person would (1 TiB, [fe80::1]:3260) and keeps "01" distinct from "1"', async () => {
    const built = harness();
    await buildRichLab(built.api);
    const yaml = await built.api['inventory.exportYaml']();
    expect(yaml).toContain('size: 1 TiB');
    expect(yaml).toMatch(/size: "?123456789"?[,\n]/);
    expect(yaml).toContain('[fe80::1]:3260');

    const parsed = parseInventoryYaml(yaml);
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    const sw = parsed.inventory.devices.find((d) => d.name === 'sw-1')!;
    expect(sw.ports.map((p) => p.name).sort()).toEqual(['01', '1', '1.0', '10', 'yes']);
    expect(parsed.inventory.links.map((l) => l.b.port).sort()).toEqual(['01', '1', 'yes']);
  });

  it('accepts unquoted number-like port names in a hand-written file and reads a cable to them', () => {
    const text = [
      'format: 1',
      'devices:',
      '  - {name: sw1, kind: switch, address: 10.0.0.2, ports: [{name: 1, role: uplink}, {name: 2, role: uplink}]}',
      'links:',
      '  - {a: {device: sw1, port: 1}, b: {device: sw1, port: 2}}',
    ].join('\n');
    const parsed = parseInventoryYaml(text);
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.inventory.devices[0]!.ports.map((p) => p.name)).toEqual(['1', '2']);
    expect(parsed.inventory.links[0]).toMatchObject({ a: { port: '1' }, b: { port: '2' } });
  });

  it('keeps the spelling of unquoted number-like names in a hand-written file (01, 007, 1.10)', () => {
    const text = [
      'format: 1',
      'devices:',
      '  - name: 007',
      '    kind: switch',
      '    address: 10.0.0.2',
      '    model: 1e3',
      '    snmp: {version: v2c, port: 161}',
      '    ports: [{name: 01, role: uplink}, {name: 1.10, role: uplink}, {name: 2, role: uplink}]',
      'links:',
      '  - {a: {device: 007, port: 01}, b: {device: 007, port: 1.10}}',
      'targets: []',
    ].join('\n');
    const parsed = parseInventoryYaml(text);
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    const [device] = parsed.inventory.devices;
    expect(device!.name).toBe('007');
    expect(device!.model).toBe('1e3');
    expect(device!.snmp?.port).toBe(161);
    expect(device!.ports.map((p) => p.name)).toEqual(['01', '1.10', '2']);
    expect(parsed.inventory.links[0]).toMatchObject({ a: { device: '007', port: '01' }, b: { device: '007', port: '1.10' } });
  });

  it('keeps the stored credentials of devices that keep their name when the lab is exported, edited and re-imported', async () => {
    const { h, yaml } = await demoLab();
    const pool = (await h.api['devices.list']()).find((d) => d.name === 'hp-pool')!;
    const detail = await h.api['devices.get'](pool.id);
    const { id: _id, credentials: _c, memberOfName: _m, portCount: _p, linkCount: _l, ports: _ports, members: _mem, targets: _t, ...fields } = detail;
    await h.api['devices.update'](pool.id, { ...fields, secrets: { 'xenapi-password': 'pool-root-password' } });

    const summary = await h.api['inventory.importYaml'](yaml.replace('model: XenServer 6.2 SP1', 'model: XenServer 6.5'));
    expect(summary.keptCredentials).toBe(1);
    const after = (await h.api['devices.list']()).find((d) => d.name === 'hp-pool')!;
    expect(after.model).toBe('XenServer 6.5');
    expect(after.credentials).toEqual(['xenapi-password']);
    expect(await h.api['inventory.exportYaml']()).not.toContain('pool-root-password');
  });
});

/** A small valid lab whose lines the error cases edit. */
const BASE = `format: 1
name: Small lab
vlans:
  - {id: 10, name: mgmt, purpose: management}
devices:
  - name: sw1
    kind: switch
    address: 10.0.0.2
    ports:
      - {name: "1", role: management, untaggedVlan: 10}
      - {name: "2", role: management, untaggedVlan: 10}
  - name: host1
    kind: linux-host
    address: 10.0.0.10
    ports:
      - {name: eth0, role: management, untaggedVlan: 10}
links:
  - {a: {device: host1, port: eth0}, b: {device: sw1, port: "1"}}
targets: []
`;

function edit(from: string, to: string): string {
  if (!BASE.includes(from)) throw new Error(`the base document has no ${JSON.stringify(from)}`);
  return BASE.replace(from, to);
}

interface BadCase {
  what: string;
  text: string;
  /** The problem expected: its line (found by a needle in the text), its field path and message. */
  line: number | null;
  path: string;
  message: RegExp;
}

const BAD: BadCase[] = [
  (() => {
    const text = edit('    address: 10.0.0.2\n', '    address: 10.0.0.2\n    colour: red\n');
    return { what: 'an unknown key on a device', text, line: lineOf(text, 'colour: red'), path: 'devices[0].colour', message: /unknown key "colour"/ };
  })(),
  (() => {
    const text = edit('address: 10.0.0.10', 'address: 12');
    return { what: 'a number where an address belongs', text, line: lineOf(text, 'address: 12'), path: 'devices[1].address', message: /expected text, got 12/ };
  })(),
  (() => {
    const text = edit('address: 10.0.0.10', 'address: 10.0.0.256');
    return { what: 'a bad IPv4 address', text, line: lineOf(text, '10.0.0.256'), path: 'devices[1].address', message: /"10\.0\.0\.256" is not a valid IPv4 address/ };
  })(),
  (() => {
    const text = edit('  - name: host1', '  - name: SW1').replace('device: host1', 'device: SW1');
    return { what: 'a device name used twice (in another case)', text, line: lineOf(text, 'name: SW1'), path: 'devices[1].name', message: /a device named "SW1" is listed twice/ };
  })(),
  (() => {
    const text = edit('b: {device: sw1, port: "1"}', 'b: {device: sw1, port: "9"}');
    return { what: 'a cable to a port that does not exist', text, line: lineOf(text, 'port: "9"'), path: 'links[0].b.port', message: /sw1 has no port named "9"/ };
  })(),
  (() => {
    const text = edit('targets: []', '  - {a: {device: sw1, port: "2"}, b: {device: host1, port: eth0}}\ntargets: []');
    return { what: 'a port cabled twice', text, line: lineOf(text, 'port: "2"}, b:'), path: 'links[1].b', message: /host1 eth0 is already cabled \(links\[0\]\)/ };
  })(),
  (() => {
    const text = edit('{name: eth0, role: management, untaggedVlan: 10}', '{name: eth0, role: management, untaggedVlan: 77}');
    return { what: 'a VLAN that is not in the VLAN plan', text, line: lineOf(text, 'untaggedVlan: 77'), path: 'devices[1].ports[0].untaggedVlan', message: /VLAN 77 is not in the vlans list/ };
  })(),
  (() => {
    const text = edit('targets: []', 'targets:\n  - device: sw1\n    iqn: iqn.2024-01.lab.example:t1\n    portals: ["10.0.0.2:3260"]');
    return { what: 'an iSCSI target on a switch', text, line: lineOf(text, '  - device: sw1'), path: 'targets[0].device', message: /served by an iSCSI SAN or a NAS, not a Switch/ };
  })(),
  (() => {
    const text = edit('kind: linux-host', 'kind: fridge');
    return { what: 'an unknown device kind', text, line: lineOf(text, 'kind: fridge'), path: 'devices[1].kind', message: /"fridge" is not one of: xen-pool, xen-host, switch, iscsi-san, nas, linux-host/ };
  })(),
  (() => {
    const text = edit('format: 1', 'format: 99');
    return { what: 'a file from a newer Labwarden (format: 99)', text, line: 1, path: 'format', message: /newer Labwarden/ };
  })(),
  (() => {
    const text = edit('address: 10.0.0.10', 'address: "10.0.0.10');
    return { what: 'a YAML syntax error (unclosed quote)', text, line: lineOf(text, '"10.0.0.10'), path: '', message: /YAML syntax/ };
  })(),
  (() => {
    const text = edit('    address: 10.0.0.10\n', '    address: 10.0.0.10\n    address: 10.0.0.11\n');
    return { what: 'a key given twice', text, line: lineOf(text, '10.0.0.11'), path: '', message: /YAML syntax: Map keys must be unique/ };
  })(),
  { what: 'a document that is a list', text: '- format: 1\n- devices: []\n', line: 1, path: '', message: /an inventory file is a mapping/ },
  { what: 'a document that is a scalar', text: 'just some words\n', line: 1, path: '', message: /an inventory file is a mapping/ },
  { what: 'an empty document', text: '', line: 1, path: '', message: /an inventory file is a mapping/ },
];

describe('YAML import: a bad file names the line and field, and changes nothing', () => {
  it('the base document of the error cases is itself valid (so each case fails for its one edit)', () => {
    expect(parseInventoryYaml(BASE)).toMatchObject({ ok: true });
  });

  for (const bad of BAD) {
    it(`${bad.what}: line ${bad.line ?? '?'}${bad.path ? `, ${bad.path}` : ''}`, async () => {
      const { h, yaml } = await demoLab();
      const countsBefore = await h.api['inventory.counts']();

      const check = await h.api['inventory.checkYaml'](bad.text);
      expect(check.ok).toBe(false);
      expect(check.counts).toBeNull();
      expect(check.current).toEqual(countsBefore);
      expect(check.problems).toContainEqual({ line: bad.line, path: bad.path, message: expect.stringMatching(bad.message) });

      const error = await failure(h.api['inventory.importYaml'](bad.text));
      expect(error.code).toBe('invalid');
      expect(error.message).toMatch(/nothing changed/);
      if (bad.line !== null) expect(error.message).toContain(`line ${bad.line}`);
      if (bad.path) expect(error.message).toContain(bad.path);
      expect(error.message).toMatch(bad.message);

      expect(await h.api['inventory.counts']()).toEqual(countsBefore);
      expect(await h.api['inventory.exportYaml']()).toBe(yaml);
    });
  }

  it('refuses a "billion laughs" alias bomb without expanding it, and changes nothing', async () => {
    // Ten levels of ten aliases: 10^10 nodes if expanded.
    let bomb = 'format: 1\nname: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n';
    for (let i = 1; i < 10; i++) bomb += `x${i}: &a${i} [${Array.from({ length: 10 }, () => `*a${i - 1}`).join(', ')}]\n`;
    bomb += 'vlans: *a9\n';
    const { h, yaml } = await demoLab();

    const parsed = parseInventoryYaml(bomb);
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.problems).toHaveLength(1);
    expect(parsed.problems[0]!.message).toMatch(/alias/i);

    const check = await h.api['inventory.checkYaml'](bomb);
    expect(check.ok).toBe(false);
    const error = await failure(h.api['inventory.importYaml'](bomb));
    expect(error.code).toBe('invalid');
    expect(error.message).toMatch(/alias/i);
    expect(await h.api['inventory.exportYaml']()).toBe(yaml);
  });

  it('refuses a document over 5 MB before parsing it, and changes nothing', async () => {
    const { h, yaml } = await demoLab();
    const huge = `format: 1\nname: ${'x'.repeat(6 * 1024 * 1024)}\n`;
    for (const method of ['inventory.checkYaml', 'inventory.importYaml'] as const) {
      const error = await failure(h.api[method](huge));
      expect(error.code).toBe('bad-arguments');
      expect(error.message).toMatch(/at most 5 MB/);
      expect(error.message.length).toBeLessThan(200);
    }
    expect(await h.api['inventory.exportYaml']()).toBe(yaml);
  });

  it('lists at most 20 problems, in line order, however broken the file is', () => {
    const devices = Array.from({ length: 60 }, (_, i) => `  - {name: d${i}, kind: switch, address: 10.0.0.${256 + i}}`);
    const parsed = parseInventoryYaml(`format: 1\ndevices:\n${devices.join('\n')}\n`);
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.problems).toHaveLength(20);
    const lines = parsed.problems.map((p) => p.line!);
    expect(lines).toEqual([...lines].sort((a, b) => a - b));
    expect(lines[0]).toBe(3);
  });

  it('checkYaml of a valid file reports what it holds and what it would replace, and changes nothing', async () => {
    const { h, yaml } = await demoLab();
    const check = await h.api['inventory.checkYaml'](BASE);
    expect(check).toEqual({
      ok: true,
      counts: { devices: 2, ports: 3, links: 1, vlans: 1, targets: 0, luns: 0 },
      problems: [],
      current: await h.api['inventory.counts'](),
    });
    expect(await h.api['inventory.exportYaml']()).toBe(yaml);
  });
});

/** One random edit of a YAML text, of the kinds a hand edit or a damaged file produces. */
function mutate(r: Prng, text: string): string {
  const lines = text.split('\n');
  const at = r.int(0, lines.length - 1);
  switch (r.int(0, 7)) {
    case 0:
      lines.splice(at, 1);
      return lines.join('\n');
    case 1:
      lines.splice(at, 0, lines[at]!);
      return lines.join('\n');
    case 2: {
      const other = r.int(0, lines.length - 1);
      [lines[at], lines[other]] = [lines[other]!, lines[at]!];
      return lines.join('\n');
    }
    case 3: {
      const i = r.int(0, Math.max(0, text.length - 1));
      return text.slice(0, i) + r.pick([':', '-', ' ', '"', "'", '[', '{', '&', '*', '#', '\t', '9', 'x', '\n', '|', '>', '!', '%', '\u0000', 'é']) + text.slice(i + 1);
    }
    case 4:
      return text.slice(0, r.int(0, text.length));
    case 5: {
      // Re-indent a line: the commonest hand-edit mistake.
      const line = lines[at]!;
      lines[at] = r.chance(0.5) ? ` ${line}` : line.replace(/^ /, '');
      return lines.join('\n');
    }
    case 6: {
      // Swap a value for one of another type.
      const line = lines[at]!;
      lines[at] = line.replace(/: .*$/, `: ${r.pick(['12', 'null', '[]', '{}', 'true', '-1', '99999', '""', '~', '10.0.0.256', 'x'])}`);
      return lines.join('\n');
    }
    default: {
      const i = r.int(0, text.length);
      return text.slice(0, i) + text.slice(i + r.int(1, 40));
    }
  }
}

describe('YAML import under a seeded fuzz of the demo export', () => {
  it('never throws: every mutated file either parses or comes back with problems that each have a message', async () => {
    const { yaml } = await demoLab();
    const r = prng(0x1ab5eed);
    let failed = 0;
    for (let n = 0; n < 800; n++) {
      let text = yaml;
      const edits = r.int(1, 3);
      for (let e = 0; e < edits; e++) text = mutate(r, text);
      const result = parseInventoryYaml(text);
      if (result.ok) continue;
      failed++;
      expect(result.problems.length, text).toBeGreaterThan(0);
      expect(result.problems.length).toBeLessThanOrEqual(20);
      for (const problem of result.problems) {
        expect(typeof problem.message).toBe('string');
        expect(problem.message.length).toBeGreaterThan(0);
        expect(problem.line === null || (Number.isInteger(problem.line) && problem.line >= 1)).toBe(true);
      }
    }
    // The fuzz is only worth something if most mutations break the file.
    expect(failed).toBeGreaterThan(400);
    // 800 parses of the demo export: seconds alone, several times that on a loaded two-core machine.
  }, 90_000);

  it('leaves the lab exactly as it was after every failed import (every 50th mutated file is imported)', async () => {
    const { h, yaml } = await demoLab();
    const countsBefore = await h.api['inventory.counts']();
    const r = prng(0x5eed50);
    let refused = 0;
    let accepted = 0;
    for (let n = 0; n < 2000; n++) {
      let text = yaml;
      const edits = r.int(1, 3);
      for (let e = 0; e < edits; e++) text = mutate(r, text);
      if (n % 50 !== 0) continue;
      const envelope = await h.raw('inventory.importYaml', [text]);
      if (envelope.ok) {
        accepted++;
        await h.api['inventory.importYaml'](yaml); // back to the demo lab for the next case
        continue;
      }
      refused++;
      // A refused file is a validation failure named as such, never an internal error.
      expect(envelope.error.code, envelope.error.message).toBe('invalid');
      expect(await h.api['inventory.counts']()).toEqual(countsBefore);
      expect(await h.api['inventory.exportYaml']()).toBe(yaml);
    }
    expect(refused + accepted).toBe(40);
    expect(refused).toBeGreaterThan(10);
  });
});
