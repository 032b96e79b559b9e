/**
 * Import cost of a big inventory, as a multiple of the unavoidable floor: parsing the same YAML text.
 * Prints figures; asserts nothing about speed.
 */
import { test } from 'vitest';
import { parse } from 'yaml';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../src-main/store/db';
import { KeyFileBox } from '../src-main/store/keyfile-box';
import { createHandlers } from '../src-main/api/service';

/** A lab of `hosts` XenServer hosts, each with 4 NICs cabled to 4 switches of 52 ports, 2 VLANs. */
function bigLab(hosts: number): string {
  const switches = Math.ceil((hosts * 4) / 52) + 1;
  const lines = ['format: 1', 'name: Bench lab', 'vlans:', '  - {id: 10, name: mgmt, purpose: management}', '  - {id: 20, name: iscsi, purpose: storage}', 'devices:'];
  lines.push('  - {name: pool, kind: xen-pool, address: 10.0.0.1}');
  for (let h = 0; h < hosts; h++) {
    lines.push(`  - name: xen${h}`, '    kind: xen-host', `    address: 10.1.${h >> 8}.${h & 255}`, '    memberOf: pool', '    ports:');
    for (let n = 0; n < 4; n++) lines.push(`      - {name: eth${n}, role: ${n === 3 ? 'storage' : 'vm'}, untaggedVlan: ${n === 3 ? 20 : 10}}`);
  }
  for (let s = 0; s < switches; s++) {
    lines.push(`  - name: sw${s}`, '    kind: switch', `    address: 10.2.0.${s + 1}`, '    ports:');
    for (let p = 1; p <= 52; p++) lines.push(`      - {name: "${p}", role: vm, taggedVlans: [10, 20]}`);
  }
  lines.push('links:');
  let cable = 0;
  for (let h = 0; h < hosts; h++) {
    for (let n = 0; n < 4; n++, cable++) {
      lines.push(`  - {a: {device: xen${h}, port: eth${n}}, b: {device: sw${Math.floor(cable / 52)}, port: "${(cable % 52) + 1}"}}`);
    }
  }
  lines.push('targets: []');
  return lines.join('\n') + '\n';
}

function best(runs: number, work: () => void): number {
  let fastest = Infinity;
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    work();
    fastest = Math.min(fastest, performance.now() - started);
  }
  return fastest;
}

test('YAML import of a 500-host inventory, against parsing the same text', async () => {
  const text = bigLab(500);
  const dir = mkdtempSync(join(tmpdir(), 'labwarden-bench-'));
  try {
    const db = openDatabase(join(dir, 'bench.db'));
    const handlers = createHandlers({
      db,
      box: new KeyFileBox(join(dir, 'bench.key')),
      databasePath: join(dir, 'bench.db'),
      mode: 'cli',
      version: 'bench',
      emit: () => {},
    });
    const runs = 5;
    const parseMs = best(runs, () => parse(text));
    const importMs = best(runs, () => handlers['inventory.importYaml'](text));
    const exportMs = best(runs, () => handlers['inventory.exportYaml']());
    const counts = await handlers['inventory.counts']();
    db.close();
    const objects = counts.devices + counts.ports + counts.links + counts.vlans;
    console.log(
      [
        `inventory: ${counts.devices} devices, ${counts.ports} ports, ${counts.links} cables (${(text.length / 1024).toFixed(0)} KiB of YAML), best of ${runs}`,
        `  parse only (floor):       ${parseMs.toFixed(1)} ms`,
        `  import (check + replace): ${importMs.toFixed(1)} ms = ${(importMs / parseMs).toFixed(2)}× the parse floor, ${((importMs / objects) * 1000).toFixed(1)} µs per object`,
        `  export:                   ${exportMs.toFixed(1)} ms = ${(exportMs / parseMs).toFixed(2)}× the parse floor`,
      ].join('\n'),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
