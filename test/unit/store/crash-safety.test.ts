import { describe, it, expect, afterEach } from 'vitest';
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openDatabase } from '../../../src-main/store/db';
import { tempDirs } from '../helpers/temp-dir';

const dirs = tempDirs();
afterEach(() => dirs.cleanup());

const PROJECT_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const COMMITS_BEFORE_KILL = 200;
const GIVE_UP_AFTER_MS = 10_000;
const ROUNDS = 3;
const PORTS_PER_DEVICE = 4;

/**
 * The writer: the same pragmas as src-main/store/db.ts, one transaction per device (a device and its four
 * ports), and the device id written to stdout only after its transaction has committed. writeSync to a
 * pipe is synchronous, so every id the parent reads was committed before it was printed.
 */
const WRITER = `
import { createRequire } from 'node:module';
import { writeSync } from 'node:fs';
const [projectRoot, dbPath, prefix] = process.argv.slice(2);
const require = createRequire(projectRoot + '/package.json');
const Database = require('better-sqlite3');
const db = new Database(dbPath);
db.pragma('journal_mode = WAL');
db.pragma('synchronous = FULL');
db.pragma('foreign_keys = ON');
db.pragma('busy_timeout = 5000');
const insertDevice = db.prepare("INSERT INTO devices (name, kind, address, notes) VALUES (?, 'switch', '10.0.0.2', ?)");
const insertPort = db.prepare("INSERT INTO ports (device_id, name, role) VALUES (?, ?, 'vm')");
const writeDevice = db.transaction((i) => {
  const id = Number(insertDevice.run(prefix + '-' + i, 'x'.repeat(2000)).lastInsertRowid);
  for (let p = 1; p <= ${PORTS_PER_DEVICE}; p++) insertPort.run(id, 'eth' + p);
  return id;
});
for (let i = 0; i < 100000; i++) {
  const id = writeDevice(i);
  writeSync(1, id + '\\n');
}
`;

interface Round {
  reported: number[];
  stderr: string;
  signal: NodeJS.Signals | null;
}

/** Runs the writer and SIGKILLs it once it has reported enough commits (or the time bound is reached). */
function writeUntilKilled(script: string, dbPath: string, prefix: string): Promise<Round> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, PROJECT_ROOT, dbPath, prefix], { stdio: ['ignore', 'pipe', 'pipe'] });
    const reported: number[] = [];
    let pending = '';
    let stderr = '';
    const kill = () => child.kill('SIGKILL');
    const bound = setTimeout(kill, GIVE_UP_AFTER_MS);
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      pending += chunk;
      const lines = pending.split('\n');
      pending = lines.pop() ?? ''; // a line cut by the kill is not a report
      for (const line of lines) reported.push(Number(line));
      if (reported.length >= COMMITS_BEFORE_KILL) kill();
    });
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => (stderr += chunk));
    child.on('error', (error) => {
      clearTimeout(bound);
      reject(error);
    });
    child.on('close', (_code, signal) => {
      clearTimeout(bound);
      resolve({ reported, stderr, signal });
    });
  });
}

describe('crash safety', () => {
  it(
    'killing the process during a write loses no committed data and leaves no half-written device',
    async () => {
      const dir = dirs.make();
      const dbPath = join(dir, 'labwarden.db');
      const script = join(dir, 'writer.mjs');
      writeFileSync(script, WRITER);
      openDatabase(dbPath).close();

      const committed: number[] = [];
      for (let round = 0; round < ROUNDS; round++) {
        const result = await writeUntilKilled(script, dbPath, `round${round}`);
        // The writer only stops by being killed; its stderr explains anything else.
        expect(result.signal, result.stderr).toBe('SIGKILL');
        expect(result.reported.length, result.stderr).toBeGreaterThan(0);
        expect(result.reported.every((id) => Number.isSafeInteger(id) && id > 0)).toBe(true);
        committed.push(...result.reported);

        const db = openDatabase(dbPath);
        try {
          expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
          expect(db.pragma('foreign_key_check')).toEqual([]);
          const stored = new Set((db.prepare('SELECT id FROM devices').all() as { id: number }[]).map((r) => r.id));
          expect(committed.filter((id) => !stored.has(id))).toEqual([]);
          // Each device was written with its ports in one transaction: all of them or none survive.
          const partial = db
            .prepare('SELECT d.id, count(p.id) AS ports FROM devices d LEFT JOIN ports p ON p.device_id = d.id GROUP BY d.id HAVING ports <> ?')
            .all(PORTS_PER_DEVICE);
          expect(partial).toEqual([]);
        } finally {
          db.close();
        }
      }
      expect(committed.length).toBeGreaterThanOrEqual(ROUNDS);
    },
    ROUNDS * GIVE_UP_AFTER_MS + 20_000,
  );
});
