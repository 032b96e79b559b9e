/**
 * The target parts of the contract and the YAML file for discovery CHAP and LUN SCSI ids: names in the file,
 * secrets never; a file that tries to carry a secret, or gives two LUNs one SCSI id, is refused at its line.
 */
import { describe, it, expect, afterEach } from 'vitest';
import { makeHarness, failure, type Harness } from '../helpers/harness';
import { parseInventoryYaml } from '../../../src-main/api/interchange/yaml';

let h: Harness;
afterEach(() => h?.close());

const file = (target: string) => `format: 1
devices:
  - name: san
    kind: iscsi-san
    address: 10.10.20.20
targets:
  - device: san
    iqn: iqn.2013-03.com.dlink:dns-1550-04.vm-store
    portals: ["10.10.20.20:3260"]
${target}`;

const lineOf = (text: string, needle: string) => text.slice(0, text.indexOf(needle)).split('\n').length;

describe('discovery CHAP and SCSI ids in the inventory file', () => {
  it('reads CHAP names and SCSI ids, keeping a SCSI id that looks like a number as written', () => {
    const parsed = parseInventoryYaml(
      file(`    chap: {user: 4711, targetUser: dlink}
    luns:
      - {lun: 0, size: 10 GB, scsiId: 360014050000000000000000000000001}
      - {lun: 1, size: 1 TB, scsiId: 36001405194731D05D28B3BFB8B985CB}
      - {lun: 2, size: 1 TB}
`),
    );
    expect(parsed.ok).toBe(true);
    const target = parsed.ok ? parsed.inventory.targets[0]! : null;
    expect(target?.chap).toEqual({ user: '4711', targetUser: 'dlink' });
    expect(target?.luns.map((l) => l.scsiId)).toEqual(['360014050000000000000000000000001', '36001405194731D05D28B3BFB8B985CB', '']);
  });

  it('a target without chap has none; one-way CHAP leaves the target user empty', () => {
    const none = parseInventoryYaml(file(''));
    expect(none.ok && none.inventory.targets[0]!.chap).toBeNull();
    const oneWay = parseInventoryYaml(file('    chap: {user: monitor}\n'));
    expect(oneWay.ok && oneWay.inventory.targets[0]!.chap).toEqual({ user: 'monitor', targetUser: '' });
  });

  it('refuses a secret in the file, an empty CHAP user and one SCSI id on two LUNs, each at its line', () => {
    const secret = file('    chap: {user: monitor, secret: Chap-Secret-4711}\n');
    const result = parseInventoryYaml(secret);
    expect(result.ok).toBe(false);
    const problems = result.ok ? [] : result.problems;
    expect(problems).toEqual([{ line: lineOf(secret, 'chap:'), path: 'targets[0].chap.secret', message: expect.stringMatching(/unknown key "secret"/) }]);
    expect(JSON.stringify(problems)).not.toContain('Chap-Secret-4711');

    const empty = parseInventoryYaml(file('    chap: {user: ""}\n'));
    expect(empty.ok ? [] : empty.problems.map((p) => [p.path, p.message])).toEqual([['targets[0].chap.user', 'a CHAP user name is required']]);

    const twice = file(`    luns:
      - {lun: 0, size: 10 GB, scsiId: 36001405aa}
      - {lun: 1, size: 10 GB, scsiId: 36001405AA}
`);
    const dup = parseInventoryYaml(twice);
    expect(dup.ok ? [] : dup.problems).toEqual([{ line: lineOf(twice, '{lun: 1'), path: 'targets[0].luns[1].scsiId', message: 'LUN 0 has this SCSI id already' }]);
    const odd = parseInventoryYaml(file('    luns:\n      - {lun: 0, size: 10 GB, scsiId: "3600 1405"}\n'));
    expect(odd.ok ? [] : odd.problems.map((p) => p.path)).toEqual(['targets[0].luns[0].scsiId']);
  });
});

describe('targets.create and targets.update with CHAP and SCSI ids', () => {
  it('round-trips the CHAP names and SCSI ids through the API and the file', async () => {
    h = makeHarness();
    const { id: deviceId } = await h.api['devices.create']({ name: 'san', kind: 'iscsi-san', address: '10.10.20.20' });
    await h.api['targets.create']({
      deviceId,
      iqn: 'iqn.2013-03.com.dlink:dns-1550-04.vm-store',
      portals: [{ address: '10.10.20.20' }],
      luns: [{ lun: 0, sizeBytes: 1e12, scsiId: ' 36001405194731d05d28b3bfb8b985cb ' }],
      chap: { user: 'monitor', targetUser: 'dlink' },
      secrets: { 'chap-secret': 'Chap-Secret-4711', 'chap-target-secret': 'Mutual-Secret-0815' },
    });
    const yaml = await h.api['inventory.exportYaml']();
    const again = makeHarness();
    try {
      await again.api['inventory.importYaml'](yaml);
      expect(await again.api['inventory.exportYaml']()).toBe(yaml);
      const [target] = await again.api['targets.list']();
      // A fresh lab: the names came with the file, the secrets did not.
      expect(target).toMatchObject({ chap: { user: 'monitor', targetUser: 'dlink' }, credentials: [], luns: [{ scsiId: '36001405194731d05d28b3bfb8b985cb' }] });
    } finally {
      again.close();
    }
  });

  it('refuses one SCSI id on two LUNs, and unknown keys in chap', async () => {
    h = makeHarness();
    const { id: deviceId } = await h.api['devices.create']({ name: 'san', kind: 'iscsi-san', address: '10.10.20.20' });
    const base = { deviceId, iqn: 'iqn.2013-03.com.dlink:x', portals: [{ address: '10.10.20.20' }] };
    const dup = await failure(h.api['targets.create']({ ...base, luns: [{ lun: 3, sizeBytes: 1, scsiId: 'abc' }, { lun: 4, sizeBytes: 1, scsiId: 'ABC' }] }));
    expect(dup.issues).toContainEqual({ arg: 0, path: ['luns', 1, 'scsiId'], message: 'LUN 3 has this SCSI id already' });
    const extra = await failure(h.api['targets.create']({ ...base, luns: [], chap: { user: 'm', secret: 'x' } as never }));
    expect(extra.code).toBe('bad-arguments');
    expect(extra.issues?.[0]?.path).toEqual(['chap', 'secret']);
    expect(JSON.stringify(extra)).not.toContain('"x"');
  });
});
