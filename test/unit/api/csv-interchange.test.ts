import { describe, it, expect, afterEach } from 'vitest';
import { makeHarness, failure, type Harness } from '../helpers/harness';
import { prng } from '../helpers/prng';
import { parseDevicesCsv, CsvProblem, CSV_COLUMNS } from '../../../src-main/api/interchange/csv';
import type { Api } from '../../../src-main/api/contract';

const open: Harness[] = [];
function harness(): Harness {
  const h = makeHarness();
  open.push(h);
  return h;
}
afterEach(() => {
  for (const h of open.splice(0)) h.close();
});

/** The columns of a device CSV written before stacks; such files still import. */
const HEADER = 'name,kind,address,vendor,model,location,notes,memberOf';
/** The columns the export writes now. */
const EXPORT_HEADER = `${HEADER},stack`;

async function demoLab(): Promise<Harness> {
  const h = harness();
  await h.api['inventory.openDemo']();
  return h;
}

/** What a device CSV carries for each device, as the device list shows it. */
async function csvFields(api: Api) {
  return (await api['devices.list']()).map(({ name, kind, address, vendor, model, location, notes, memberOfName }) => ({
    name,
    kind,
    address,
    vendor,
    model,
    location,
    notes,
    memberOfName,
  }));
}

/** Everything a failed import must leave alone. */
async function snapshot(h: Harness) {
  return {
    yaml: await h.api['inventory.exportYaml'](),
    devices: await h.api['devices.list'](),
    counts: await h.api['inventory.counts'](),
  };
}

/** Imports `csv` expecting it to be refused; returns the message after checking nothing changed. */
async function refused(h: Harness, csv: string): Promise<string> {
  const before = await snapshot(h);
  const error = await failure(h.api['devices.importCsv'](csv));
  expect(error.code).toBe('invalid');
  expect(error.message).toMatch(/^the devices were not imported, nothing changed: /);
  expect(await snapshot(h)).toEqual(before);
  return error.message;
}

describe('device CSV export', () => {
  it('has the documented header and names each host\'s pool in memberOf', async () => {
    const h = await demoLab();
    const csv = await h.api['devices.exportCsv']();
    expect(csv.split('\n')[0]).toBe(EXPORT_HEADER);
    expect(CSV_COLUMNS.join(',')).toBe(EXPORT_HEADER);

    const rows = parseDevicesCsv(csv);
    expect(rows).toHaveLength(9);
    const hosts = rows.filter((r) => r.kind === 'xen-host');
    expect(hosts.map((r) => r.name)).toEqual(['xen1', 'xen2', 'xen3', 'xen4']);
    expect(hosts.every((r) => r.memberOf === 'hp-pool')).toBe(true);
    expect(rows.filter((r) => r.kind !== 'xen-host').every((r) => r.memberOf === null)).toBe(true);
    // Cells with commas are quoted, so they read back whole.
    expect(rows.find((r) => r.name === 'xen1')!.location).toBe('Rack A, U10');
  });
});

describe('device CSV import', () => {
  it('imports the demo lab\'s CSV into an empty lab: every device with its fields and pool', async () => {
    const demo = await demoLab();
    const csv = await demo.api['devices.exportCsv']();
    const fresh = harness();
    expect(await fresh.api['devices.importCsv'](csv)).toEqual({ added: 9, updated: 0 });
    expect(await csvFields(fresh.api)).toEqual(await csvFields(demo.api));
    expect(await fresh.api['devices.exportCsv']()).toBe(csv);
  });

  it('accepts a host row that names a pool defined further down the same file', async () => {
    const h = harness();
    const csv = [
      'name,kind,address,memberOf',
      'xen1,xen-host,10.0.0.11,zz-pool',
      'xen2,xen-host,10.0.0.12,zz-pool',
      'zz-pool,xen-pool,10.0.0.10,',
    ].join('\n');
    expect(await h.api['devices.importCsv'](csv)).toEqual({ added: 3, updated: 0 });
    const devices = await h.api['devices.list']();
    expect(devices.filter((d) => d.memberOfName === 'zz-pool').map((d) => d.name)).toEqual(['xen1', 'xen2']);
  });

  it('re-imports its own export into an empty lab when the pool\'s name sorts after its hosts', async () => {
    const h = harness();
    const pool = await h.api['devices.create']({ name: 'zz-pool', kind: 'xen-pool', address: '10.0.0.10' });
    await h.api['devices.create']({ name: 'xen1', kind: 'xen-host', address: '10.0.0.11', memberOf: pool.id });
    const csv = await h.api['devices.exportCsv']();

    const fresh = harness();
    expect(await fresh.api['devices.importCsv'](csv)).toEqual({ added: 2, updated: 0 });
    expect(await csvFields(fresh.api)).toEqual(await csvFields(h.api));
  });

  it('updates the devices of the same lab in place, keeping their ports, cables, protocols and credentials', async () => {
    const h = await demoLab();
    const sw = (await h.api['devices.list']()).find((d) => d.name === 'sw-a')!;
    const { id: _i, credentials: _c, memberOfName: _m, portCount: _p, linkCount: _l, ...fields } = sw;
    await h.api['devices.update'](sw.id, { ...fields, secrets: { 'snmp-community': 'public-but-secret' } });
    const before = await h.api['inventory.exportYaml']();
    const csv = await h.api['devices.exportCsv']();

    expect(await h.api['devices.importCsv'](csv)).toEqual({ added: 0, updated: 9 });
    expect(await h.api['inventory.exportYaml']()).toBe(before);
    const after = await h.api['devices.get'](sw.id);
    expect(after.credentials).toEqual(['snmp-community']);
    expect(after.ports).toHaveLength(11);
    expect(after.snmp).toMatchObject({ version: 'v2c', port: 161 });

    // An edited cell changes that field only.
    const edited = csv.replace('sw-a,switch,10.10.10.2,HP,ProCurve 2910al-24G,"Rack A, U1"', 'sw-a,switch,10.10.10.2,HP,ProCurve 2910al-24G,"Rack C, U7"');
    expect(edited).not.toBe(csv);
    expect(await h.api['devices.importCsv'](edited)).toEqual({ added: 0, updated: 9 });
    const moved = await h.api['devices.get'](sw.id);
    expect(moved.location).toBe('Rack C, U7');
    expect(moved.ports).toEqual(after.ports);
    expect(moved.credentials).toEqual(['snmp-community']);
  });

  it('changes only the columns a file has: a name,kind,address,location file keeps vendor, notes and pool', async () => {
    const h = await demoLab();
    const before = (await h.api['devices.list']()).find((d) => d.name === 'xen2')!;
    expect(await h.api['devices.importCsv']('name,kind,address,location\nXEN2,xen-host,10.10.10.12,Rack Z\n')).toEqual({
      added: 0,
      updated: 1,
    });
    const after = (await h.api['devices.list']()).find((d) => d.id === before.id)!;
    expect(after).toEqual({ ...before, name: 'XEN2', location: 'Rack Z' });
  });

  it('adds new devices and updates known ones in one file', async () => {
    const h = await demoLab();
    const summary = await h.api['devices.importCsv'](`${HEADER}\nsw-a,switch,10.10.10.2,HP,,,,\nsw-c,switch,10.10.10.4,Netgear,,,,\n`);
    expect(summary).toEqual({ added: 1, updated: 1 });
    expect((await h.api['devices.list']()).map((d) => d.name)).toContain('sw-c');
  });
});

describe('device CSV import: a bad file names the line and column, and changes nothing', () => {
  it('a header without the "kind" column', async () => {
    const h = await demoLab();
    const message = await refused(h, 'name,address\nsw-z,10.0.0.9\n');
    expect(message).toContain('line 1, kind');
    expect(message).toContain('missing the column "kind"');
  });

  it('an unknown column', async () => {
    const h = await demoLab();
    const message = await refused(h, 'name,kind,address,colour\nsw-z,switch,10.0.0.9,red\n');
    expect(message).toContain('line 1, colour: unknown column');
    expect(message).toContain(CSV_COLUMNS.join(', '));
  });

  it('a column named twice', async () => {
    const h = await demoLab();
    expect(await refused(h, 'name,kind,address,notes,notes\nsw-z,switch,10.0.0.9,a,b\n')).toContain('line 1, notes: this column appears twice');
  });

  it('a bad address on line 4 (after valid rows, which are not imported either)', async () => {
    const h = await demoLab();
    const message = await refused(h, `${HEADER}\nnew-1,switch,10.0.0.91,,,,,\nnew-2,switch,10.0.0.92,,,,,\nnew-3,switch,10.0.0.256,,,,,\n`);
    expect(message).toContain('line 4, address: "10.0.0.256" is not a valid IPv4 address');
  });

  it('a row with more cells than the header', async () => {
    const h = await demoLab();
    const message = await refused(h, 'name,kind,address\nsw-z,switch,10.0.0.9\nsw-y,switch,10.0.0.8,surplus\n');
    expect(message).toContain('line 3');
  });

  it('a row with fewer cells than the header', async () => {
    const h = await demoLab();
    expect(await refused(h, 'name,kind,address,vendor\nsw-z,switch,10.0.0.9\n')).toContain('line 2');
  });

  it('an unknown kind, listing the kinds there are', async () => {
    const h = await demoLab();
    const message = await refused(h, 'name,kind,address\nfridge-1,fridge,10.0.0.9\n');
    expect(message).toContain('line 2, kind: "fridge" is not one of: xen-pool, xen-host, switch, iscsi-san, nas, linux-host');
  });

  it('the same device twice', async () => {
    const h = await demoLab();
    expect(await refused(h, 'name,kind,address\nsw-z,switch,10.0.0.9\nSW-Z,switch,10.0.0.8\n')).toContain(
      'line 3, name: "SW-Z" is already on line 2',
    );
  });

  it('a pool that does not exist anywhere', async () => {
    const h = await demoLab();
    expect(await refused(h, 'name,kind,address,memberOf\nxen9,xen-host,10.0.0.9,no-such-pool\n')).toContain(
      'line 2, memberOf: no pool named "no-such-pool"',
    );
  });

  it('a kind change that the device\'s protocols do not allow', async () => {
    const h = await demoLab();
    expect(await refused(h, 'name,kind,address\nsw-a,xen-pool,10.10.10.2\n')).toContain('line 2, kind: a XenServer pool is not polled over SNMP');
  });

  it('an unclosed quote', async () => {
    const h = await demoLab();
    expect(await refused(h, 'name,kind,address\nsw-z,switch,"10.0.0.9\n')).toContain('line 2: not readable as CSV');
  });

  it('an empty file', async () => {
    const h = await demoLab();
    expect(await refused(h, '')).toContain(`the first line names the columns: ${EXPORT_HEADER}`);
  });

  it('a bad row whose notes span two lines is named by the line it starts on', async () => {
    const h = await demoLab();
    const csv = `name,kind,address,notes\nsw-z,switch,10.0.0.9,"two\nlines"\nsw-y,switch,10.0.0.256,"also\ntwo"\n`;
    // sw-y starts on line 4 (its address is there); its notes end on line 5.
    expect(await refused(h, csv)).toContain('line 4, address');
  });
});

describe('device CSV: spreadsheet formula injection', () => {
  const FORMULAS = {
    name: '=cmd',
    vendor: '+1',
    model: '@x',
    location: '-2',
    notes: '=HYPERLINK("http://evil.example","click")',
  };

  it('exports cells that a spreadsheet would run as formulas with a leading apostrophe, and imports them back exactly', async () => {
    const h = harness();
    await h.api['devices.create']({ kind: 'switch', address: '10.0.0.9', ...FORMULAS });
    await h.api['devices.create']({ name: 'tabbed', kind: 'switch', address: '10.0.0.8', notes: '\tindented' });
    const csv = await h.api['devices.exportCsv']();
    const row = csv.split('\n').find((line) => line.includes('10.0.0.9'))!;
    expect(row).toBe(`'=cmd,switch,10.0.0.9,'+1,'@x,'-2,"'=HYPERLINK(""http://evil.example"",""click"")",,`);
    // No exported cell starts with a formula character.
    for (const record of parseRaw(csv)) for (const cell of record) expect(cell).not.toMatch(/^[=+\-@\t\r]/);

    const fresh = harness();
    await fresh.api['devices.importCsv'](csv);
    expect(await csvFields(fresh.api)).toEqual(await csvFields(h.api));
    expect(await fresh.api['devices.exportCsv']()).toBe(csv);
  });

  it('keeps a value that really starts with an apostrophe before a formula character', async () => {
    const h = harness();
    await h.api['devices.create']({ name: 'sw1', kind: 'switch', address: '10.0.0.9', notes: "'=SUM(A1) is what the label says", vendor: "'+" });
    const csv = await h.api['devices.exportCsv']();
    const fresh = harness();
    await fresh.api['devices.importCsv'](csv);
    expect(await csvFields(fresh.api)).toEqual(await csvFields(h.api));
  });

  it('keeps an ordinary leading apostrophe', async () => {
    const h = harness();
    await h.api['devices.create']({ name: 'sw1', kind: 'switch', address: '10.0.0.9', notes: "'quoted' note", location: "'" });
    const csv = await h.api['devices.exportCsv']();
    const fresh = harness();
    await fresh.api['devices.importCsv'](csv);
    expect(await csvFields(fresh.api)).toEqual(await csvFields(h.api));
  });
});

/** Cells of a CSV as written (without the import's apostrophe handling). */
function parseRaw(csv: string): string[][] {
  const out: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < csv.length; i++) {
    const c = csv[i]!;
    if (quoted) {
      if (c === '"' && csv[i + 1] === '"') (cell += '"'), i++;
      else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') row.push(cell), (cell = '');
    else if (c === '\n') row.push(cell), out.push(row), (row = []), (cell = '');
    else cell += c;
  }
  if (cell || row.length) row.push(cell), out.push(row);
  return out;
}

describe('device CSV parser under a seeded fuzz', () => {
  it('throws nothing but a CsvProblem (with a message) for random text and for damaged exports', async () => {
    const h = await demoLab();
    const demoCsv = await h.api['devices.exportCsv']();
    const r = prng(0xc5f00d);
    const ALPHABET = [',', '"', '\n', '\r', "'", '=', ' ', 'a', 'x', '1', '.', '\u0000', '\ufeff', 'é', 'switch', 'name', 'kind', 'address', '10.0.0.1'];
    let problems = 0;
    let parsed = 0;
    for (let n = 0; n < 2000; n++) {
      let text: string;
      if (n % 2 === 0) {
        // Random bytes, read as a spreadsheet program might hand them over.
        const bytes = Buffer.alloc(r.int(0, 200));
        for (let i = 0; i < bytes.length; i++) bytes[i] = r.int(0, 255);
        text = r.chance(0.5) ? bytes.toString('utf8') : bytes.toString('latin1');
        if (r.chance(0.5)) text = `${HEADER}\n${text}`;
      } else if (n % 4 === 1) {
        text = '';
        const pieces = r.int(0, 60);
        for (let i = 0; i < pieces; i++) text += r.pick(ALPHABET);
      } else {
        text = demoCsv;
        for (let e = r.int(1, 4); e > 0; e--) {
          const at = r.int(0, text.length);
          text = r.chance(0.5) ? text.slice(0, at) + r.pick(ALPHABET) + text.slice(at) : text.slice(0, at) + text.slice(at + r.int(1, 30));
        }
      }
      try {
        parseDevicesCsv(text);
        parsed++;
      } catch (error) {
        expect(error, JSON.stringify(text)).toBeInstanceOf(CsvProblem);
        expect((error as CsvProblem).message.length).toBeGreaterThan(0);
        problems++;
      }
    }
    expect(problems).toBeGreaterThan(500);
    expect(parsed).toBeGreaterThan(10);
  });
});
