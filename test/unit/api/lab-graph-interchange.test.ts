import { describe, it, expect, afterEach } from 'vitest';
import { makeHarness, failure, type Harness } from '../helpers/harness';
import { parseInventoryYaml, inventoryToYaml } from '../../../src-main/api/interchange/yaml';
import { prng } from '../helpers/prng';
import { parseDevicesCsv } from '../../../src-main/api/interchange/csv';
import { DeviceInput, FindingId, AcceptNote, TopologyPositions } from '../../../src-main/api/schemas';
import { fieldIssues } from '../../../src-main/api/issues';
import { acceptFinding, listAcceptances } from '../../../src-main/store/findings';

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
function lineOf(text: string, needle: string): number {
  const index = text.split('\n').findIndex((line) => line.includes(needle));
  if (index < 0) throw new Error(`no line containing ${JSON.stringify(needle)}`);
  return index + 1;
}

const issuesOf = (schema: { safeParse(v: unknown): { success: boolean; error?: unknown } }, value: unknown) => {
  const result = schema.safeParse(value);
  return result.success ? [] : fieldIssues(result.error as never, value);
};

/** Ids and notes a careless YAML writer would mangle: colons, quotes, a leading #, number-like, YAML words. */
const ACCEPTED = [
  { id: 'spof.storage-single-path:xen1:VM store', note: 'one path by design\nsecond NIC: ordered, "soon"' },
  { id: 'spof.management-single-nic:xen1', note: '' },
  { id: '007', note: '  leading and trailing spaces  ' },
  { id: '#not-a-comment: [x], {y}', note: "it's — ünïcødé ✓" },
  { id: 'null', note: 'true' },
];

async function stackedLab(): Promise<Harness> {
  const h = harness();
  await h.api['inventory.openDemo']();
  const devices = await h.api['devices.list']();
  for (const name of ['sw-a', 'sw-b']) {
    const sw = devices.find((d) => d.name === name)!;
    const { id: _i, credentials: _c, memberOfName: _m, portCount: _p, linkCount: _l, ...fields } = sw;
    await h.api['devices.update'](sw.id, { ...fields, stack: ' core stack ' });
  }
  for (const { id, note } of ACCEPTED) acceptFinding(h.db, id, note, '2026-01-05T09:00:00.000Z');
  return h;
}

describe('DeviceInput: a switch may name its stack', () => {
  it('takes a stack on a switch (trimmed), and "" when none is given', () => {
    expect(DeviceInput.parse({ name: 'sw1', kind: 'switch', address: '10.0.0.2', stack: '  core ' }).stack).toBe('core');
    expect(DeviceInput.parse({ name: 'sw1', kind: 'switch', address: '10.0.0.2' }).stack).toBe('');
    expect(DeviceInput.parse({ name: 'h1', kind: 'linux-host', address: '10.0.0.3', stack: '   ' }).stack).toBe('');
  });

  it('refuses a stack on any other kind, a name over 64 characters, and control characters', () => {
    for (const kind of ['xen-pool', 'xen-host', 'iscsi-san', 'nas', 'linux-host'] as const) {
      expect(issuesOf(DeviceInput, { name: 'd', kind, address: '10.0.0.3', stack: 'core' }), kind).toEqual([
        { path: ['stack'], message: 'only switches can be stacked' },
      ]);
    }
    expect(issuesOf(DeviceInput, { name: 'sw', kind: 'switch', address: '10.0.0.2', stack: 'x'.repeat(65) })).toEqual([
      { path: ['stack'], message: 'at most 64 characters' },
    ]);
    expect(DeviceInput.safeParse({ name: 'sw', kind: 'switch', address: '10.0.0.2', stack: 'x'.repeat(64) }).success).toBe(true);
    expect(issuesOf(DeviceInput, { name: 'sw', kind: 'switch', address: '10.0.0.2', stack: 'a\tb' })[0]?.path).toEqual(['stack']);
  });

  it('through the API: a switch keeps its stack, another kind is refused with the field named', async () => {
    const h = harness();
    const { id } = await h.api['devices.create']({ name: 'sw1', kind: 'switch', address: '10.0.0.2', stack: 'core' });
    expect((await h.api['devices.get'](id)).stack).toBe('core');
    expect((await h.api['devices.list']())[0]!.stack).toBe('core');
    const error = await failure(h.api['devices.create']({ name: 'nas1', kind: 'nas', address: '10.0.0.5', stack: 'core' }));
    expect(error.code).toBe('bad-arguments');
    expect(error.issues).toEqual([{ arg: 0, path: ['stack'], message: 'only switches can be stacked' }]);
    // Turning the stacked switch into a host without clearing the stack is refused too.
    const update = await failure(h.api['devices.update'](id, { name: 'sw1', kind: 'linux-host', address: '10.0.0.2', stack: 'core' }));
    expect(update.issues).toEqual([{ arg: 1, path: ['stack'], message: 'only switches can be stacked' }]);
  });
});

describe('YAML: stacks and accepted findings round-trip losslessly', () => {
  it('exports stack and acceptedFindings (after targets), imports them into a fresh lab, and exports the identical text', async () => {
    const h = await stackedLab();
    const yaml = await h.api['inventory.exportYaml']();
    expect(yaml.match(/^ {4}stack: core stack$/gm)).toHaveLength(2);
    expect(lineOf(yaml, 'acceptedFindings:')).toBeGreaterThan(lineOf(yaml, 'targets:'));
    // The last top-level key: every line after it is indented.
    const after = yaml.trimEnd().split('\n').slice(lineOf(yaml, 'acceptedFindings:'));
    expect(after.length).toBeGreaterThanOrEqual(ACCEPTED.length);
    expect(after.every((line) => line.startsWith('  '))).toBe(true);
    // A one-line note stays on its acceptance's line; a note over several lines becomes a block.
    expect(yaml).toContain('  - { id: spof.management-single-nic:xen1 }\n');
    expect(yaml).toContain('  - id: spof.storage-single-path:xen1:VM store\n    note: |-\n');

    const fresh = harness();
    const before = Date.now();
    const summary = await fresh.api['inventory.importYaml'](yaml);
    expect(summary.counts).toEqual(await h.api['inventory.counts']());
    expect(await fresh.api['inventory.exportYaml']()).toBe(yaml);

    const devices = await fresh.api['devices.list']();
    expect(devices.filter((d) => d.stack !== '').map((d) => [d.name, d.stack])).toEqual([
      ['sw-a', 'core stack'],
      ['sw-b', 'core stack'],
    ]);
    const accepted = listAcceptances(fresh.db);
    const idAndNote = ({ id, note }: { id: string; note: string }) => ({ id, note });
    expect(accepted.map(idAndNote)).toEqual(listAcceptances(h.db).map(idAndNote));
    expect(accepted.map(idAndNote)).toEqual(expect.arrayContaining(ACCEPTED));
    // Accepted at the import time: the file does not carry when.
    for (const acceptance of accepted) expect(Date.parse(acceptance.at)).toBeGreaterThanOrEqual(before - 1000);
  });

  it('keeps random ids, notes and stacks exactly through export → parse (seeded)', () => {
    const r = prng(0xacce97);
    const PIECES = [':', ': ', ' ', '#', ' #', '"', "'", '-', '- ', '[', ']', '{', '}', ',', '&', '*', '!', '|', '>', '%', '@', '`', '?', '\n', '\n\n', '  ', 'é', '日本', '✓', '0', '1.5', '007', 'null', 'true', '~', 'yes', 'x', 'spof.rule', '\u00a0'];
    const textOf = (n: number, lineBreaks: boolean) => {
      let text = '';
      for (let i = 0; i < n; i++) text += r.pick(PIECES);
      return lineBreaks ? text : text.replace(/\n/g, ' ');
    };
    for (let n = 0; n < 300; n++) {
      const ids = new Set<string>();
      while (ids.size < r.int(1, 6)) ids.add(textOf(r.int(1, 8), false) || 'x');
      const acceptedFindings = [...ids].sort().map((id) => ({ id, note: r.chance(0.3) ? '' : textOf(r.int(1, 12), true) }));
      const stack = textOf(r.int(0, 6), false).trim();
      const inventory = {
        format: 1 as const,
        name: '',
        vlans: [],
        devices: [{ name: 'sw1', kind: 'switch' as const, address: '10.0.0.2', vendor: '', model: '', location: '', notes: '', memberOf: null, stack, snmp: null, xenapi: null, dsm: null, ports: [] }],
        links: [],
        targets: [],
        acceptedFindings,
      };
      const yaml = inventoryToYaml(inventory);
      const parsed = parseInventoryYaml(yaml);
      expect(parsed.ok, yaml).toBe(true);
      if (!parsed.ok) continue;
      expect(parsed.inventory.acceptedFindings, yaml).toEqual(acceptedFindings);
      expect(parsed.inventory.devices[0]!.stack, yaml).toBe(stack);
      expect(inventoryToYaml(parsed.inventory)).toBe(yaml);
    }
  });

  it('keeps multi-line text the yaml library would write unreadably: in a one-line record, or only blanks', () => {
    const awkward = ['-\n-a', ':\na  \'', '  \n', ' \n', '\n  \n'];
    for (const text of awkward) {
      const inventory = {
        format: 1 as const,
        name: '',
        vlans: [{ id: 10, name: 'v', purpose: 'other' as const, notes: text }],
        devices: [
          {
            name: 'sw1', kind: 'switch' as const, address: '10.0.0.2', vendor: '', model: '', location: '', notes: text, memberOf: null, stack: '',
            snmp: null, xenapi: null, dsm: null,
            ports: [{ name: 'p1', role: 'vm' as const, aggregate: '', mac: '', untaggedVlan: null, taggedVlans: [], notes: text }],
          },
        ],
        links: [],
        targets: [],
        acceptedFindings: [{ id: 'f', note: text }],
      };
      const parsed = parseInventoryYaml(inventoryToYaml(inventory));
      expect(parsed.ok, JSON.stringify(text)).toBe(true);
      if (!parsed.ok) continue;
      expect(parsed.inventory, JSON.stringify(text)).toEqual(inventory);
    }
  });

  it('leaves both out of a lab that has neither, so such an export is what it always was', async () => {
    const h = harness();
    await h.api['devices.create']({ name: 'sw1', kind: 'switch', address: '10.0.0.2' });
    await h.api['devices.create']({ name: 'host1', kind: 'linux-host', address: '10.0.0.10' });
    const yaml = await h.api['inventory.exportYaml']();
    expect(yaml).not.toMatch(/stack|acceptedFindings/);
    expect(yaml.trimEnd().split('\n').at(-1)).toBe('targets: []');
  });

  it('a hand-written file keeps number-like ids, notes and stacks as written (007, 01)', () => {
    const parsed = parseInventoryYaml(
      [
        'format: 1',
        'devices:',
        '  - {name: sw1, kind: switch, address: 10.0.0.2, stack: 01}',
        'acceptedFindings:',
        '  - {id: 007, note: 1.10}',
        '  - id: spof.storage-single-path:xen1:VM store',
      ].join('\n'),
    );
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.inventory.devices[0]!.stack).toBe('01');
    expect(parsed.inventory.acceptedFindings).toEqual([
      { id: '007', note: '1.10' },
      { id: 'spof.storage-single-path:xen1:VM store', note: '' },
    ]);
  });

  it('an import without acceptedFindings clears the stored acceptances; checkYaml counts only the gear', async () => {
    const h = await stackedLab();
    const yaml = await h.api['inventory.exportYaml']();
    const withoutAcceptances = yaml.slice(0, yaml.indexOf('acceptedFindings:'));
    const check = await h.api['inventory.checkYaml'](yaml);
    expect(check.counts).toEqual((await h.api['inventory.checkYaml'](withoutAcceptances)).counts);
    expect(check.counts).toEqual(await h.api['inventory.counts']());
    await h.api['inventory.importYaml'](withoutAcceptances);
    expect(listAcceptances(h.db)).toEqual([]);
  });
});

/** A small valid lab whose lines the error cases edit. */
const BASE = `format: 1
name: Small lab
devices:
  - name: sw1
    kind: switch
    address: 10.0.0.2
    stack: core
  - name: host1
    kind: linux-host
    address: 10.0.0.10
targets: []
acceptedFindings:
  - {id: "spof.management-single-nic:host1", note: one NIC by design}
  - {id: "spof.storage-single-path:host1:VM store"}
`;

function edit(from: string, to: string): string {
  if (!BASE.includes(from)) throw new Error(`the base document has no ${JSON.stringify(from)}`);
  return BASE.replace(from, to);
}

const BAD = [
  (() => {
    const text = `${BASE}  - {id: "spof.management-single-nic:host1", note: again}\n`;
    return { what: 'a finding accepted twice', text, line: lineOf(text, 'note: again'), path: 'acceptedFindings[2].id', message: /finding "spof\.management-single-nic:host1" is accepted twice \(also acceptedFindings\[0\]\)/ };
  })(),
  (() => {
    const text = edit('{id: "spof.storage-single-path:host1:VM store"}', '{id: ""}');
    return { what: 'an empty finding id', text, line: lineOf(text, 'id: ""'), path: 'acceptedFindings[1].id', message: /finding id is required/ };
  })(),
  (() => {
    const text = edit('{id: "spof.storage-single-path:host1:VM store"}', `{id: "${'x'.repeat(301)}"}`);
    return { what: 'a finding id over 300 characters', text, line: lineOf(text, 'xxxx'), path: 'acceptedFindings[1].id', message: /at most 300 characters/ };
  })(),
  (() => {
    const text = edit('note: one NIC by design}', 'note: one NIC by design, by: me}');
    return { what: 'an unknown key in an acceptance', text, line: lineOf(text, 'by: me'), path: 'acceptedFindings[0].by', message: /unknown key "by"/ };
  })(),
  (() => {
    const text = edit('{id: "spof.storage-single-path:host1:VM store"}', `{id: x, note: "${'n'.repeat(2001)}"}`);
    return { what: 'a note over 2000 characters', text, line: lineOf(text, 'nnnn'), path: 'acceptedFindings[1].note', message: /at most 2000 characters/ };
  })(),
  (() => {
    const text = edit('    address: 10.0.0.10\n', '    address: 10.0.0.10\n    stack: core\n');
    return { what: 'a stack on a host', text, line: lineOf(text, 'address: 10.0.0.10') + 1, path: 'devices[1].stack', message: /only switches can be stacked/ };
  })(),
];

describe('YAML import: a bad acceptance or stack names the line and changes nothing', () => {
  it('the base document of the error cases is itself valid', () => {
    expect(parseInventoryYaml(BASE)).toMatchObject({ ok: true });
  });

  for (const bad of BAD) {
    it(`${bad.what}: line ${bad.line}, ${bad.path}`, async () => {
      const h = await stackedLab();
      const yaml = await h.api['inventory.exportYaml']();
      const acceptances = listAcceptances(h.db);

      const check = await h.api['inventory.checkYaml'](bad.text);
      expect(check.ok).toBe(false);
      expect(check.problems).toContainEqual({ line: bad.line, path: bad.path, message: expect.stringMatching(bad.message) });

      const error = await failure(h.api['inventory.importYaml'](bad.text));
      expect(error.code).toBe('invalid');
      expect(error.message).toMatch(/nothing changed/);
      expect(error.message).toContain(`line ${bad.line}`);
      expect(error.message).toContain(bad.path);

      expect(await h.api['inventory.exportYaml']()).toBe(yaml);
      expect(listAcceptances(h.db)).toEqual(acceptances);
    });
  }

  it('refuses more than 10,000 acceptances', () => {
    const many = Array.from({ length: 10_001 }, (_, i) => `  - {id: "f:${i}"}`).join('\n');
    const parsed = parseInventoryYaml(`format: 1\nacceptedFindings:\n${many}\n`);
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.problems).toContainEqual({ line: 2, path: 'acceptedFindings', message: expect.stringMatching(/at most 10000 entries/) });
  });
});

describe('device CSV: the stack column', () => {
  it('is exported, and imported back into a fresh lab', async () => {
    const h = await stackedLab();
    const csv = await h.api['devices.exportCsv']();
    expect(csv.split('\n')[0]).toBe('name,kind,address,vendor,model,location,notes,memberOf,stack');
    expect(csv.split('\n').filter((line) => line.endsWith(',core stack'))).toHaveLength(2);

    const fresh = harness();
    await fresh.api['devices.importCsv'](csv);
    const stacks = (await fresh.api['devices.list']()).map((d) => [d.name, d.stack]);
    expect(stacks).toEqual((await h.api['devices.list']()).map((d) => [d.name, d.stack]));
    expect(await fresh.api['devices.exportCsv']()).toBe(csv);
  });

  it('sets or clears a stack on update when the column is there, and keeps it when an older file has no such column', async () => {
    const h = await stackedLab();
    const older = 'name,kind,address,vendor,model,location,notes,memberOf\nsw-a,switch,10.10.10.2,HP,,,,\nsw-new,switch,10.0.0.77,,,,,\n';
    expect(parseDevicesCsv(older).map((r) => r.stack)).toEqual(['', '']);
    expect(await h.api['devices.importCsv'](older)).toEqual({ added: 1, updated: 1 });
    const byName = async (name: string) => (await h.api['devices.list']()).find((d) => d.name === name)!;
    expect((await byName('sw-a')).stack).toBe('core stack');
    expect((await byName('sw-new')).stack).toBe('');

    await h.api['devices.importCsv']('name,kind,address,stack\nsw-a,switch,10.10.10.2,\nsw-new,switch,10.0.0.77, edge \n');
    expect((await byName('sw-a')).stack).toBe('');
    expect((await byName('sw-new')).stack).toBe('edge');
  });

  it('refuses a stack on a row that is not a switch, naming the line and column, and imports none of the file', async () => {
    const h = await stackedLab();
    const before = await h.api['inventory.exportYaml']();
    const error = await failure(h.api['devices.importCsv']('name,kind,address,stack\nsw-z,switch,10.0.0.9,core\nnas-z,nas,10.0.0.8,core\n'));
    expect(error.code).toBe('invalid');
    expect(error.message).toBe('the devices were not imported, nothing changed: line 3, stack: only switches can be stacked');

    // An older file turning a stacked switch into a host: the stored stack refuses it.
    const kind = await failure(h.api['devices.importCsv']('name,kind,address\nsw-a,linux-host,10.10.10.2\n'));
    expect(kind.message).toMatch(/line 2, stack: only switches can be stacked/);
    expect(await h.api['inventory.exportYaml']()).toBe(before);
  });
});

describe('the finding and topology validators', () => {
  it('FindingId takes printable text of 1–300 characters as it is', () => {
    expect(FindingId.parse('spof.storage-single-path:xen1:VM store')).toBe('spof.storage-single-path:xen1:VM store');
    expect(FindingId.parse(' x ')).toBe(' x ');
    expect(FindingId.safeParse('x'.repeat(300)).success).toBe(true);
    for (const bad of ['', 'x'.repeat(301), 'a\nb', 'a\u0000b', 12, null]) expect(FindingId.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
  });

  it('AcceptNote is at most 2000 characters and "" when left out', () => {
    expect(AcceptNote.parse(undefined)).toBe('');
    expect(AcceptNote.parse('line\nbreaks are fine')).toBe('line\nbreaks are fine');
    expect(AcceptNote.safeParse('n'.repeat(2000)).success).toBe(true);
    expect(AcceptNote.safeParse('n'.repeat(2001)).success).toBe(false);
  });

  it('TopologyPositions takes up to 5000 nodes with ids up to 200 characters and coordinates within ±1e7', () => {
    const ok = { 'device:sw-a': { x: 1e7, y: -1e7 }, ['n'.repeat(200)]: { x: 0.5, y: 0 } };
    expect(TopologyPositions.parse(ok)).toEqual(ok);
    expect(TopologyPositions.parse({})).toEqual({});
    const full = Object.fromEntries(Array.from({ length: 5000 }, (_, i) => [`n${i}`, { x: i, y: i }]));
    expect(TopologyPositions.safeParse(full).success).toBe(true);

    const refused = (value: unknown) => issuesOf(TopologyPositions, value);
    expect(refused({ ...full, one: { x: 0, y: 0 } })).toEqual([{ path: [], message: 'at most 5000 node positions at once' }]);
    expect(refused({ ['n'.repeat(201)]: { x: 0, y: 0 } })).toEqual([{ path: ['n'.repeat(201)], message: 'a node id is at most 200 characters' }]);
    expect(refused({ '': { x: 0, y: 0 } })).toEqual([{ path: [''], message: 'a node id is required' }]);
    expect(refused({ a: { x: 1e7 + 1, y: 0 } })).toEqual([{ path: ['a', 'x'], message: 'a coordinate is within ±10,000,000' }]);
    expect(refused({ a: { x: 0, y: -1e7 - 1 } })[0]?.path).toEqual(['a', 'y']);
    for (const bad of [NaN, Infinity, '1', null]) expect(refused({ a: { x: bad, y: 0 } })[0]?.path, String(bad)).toEqual(['a', 'x']);
    expect(refused({ a: { x: 0, y: 0, z: 1 } })[0]?.path).toEqual(['a', 'z']);
    expect(refused({ a: { x: 0 } })[0]?.path).toEqual(['a', 'y']);
    expect(refused([])).toHaveLength(1);
    expect(refused(null)).toHaveLength(1);
  });
});
