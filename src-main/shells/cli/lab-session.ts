/**
 * What `audit`, `ports` and `whatif` share: where the lab is (--data-dir, else $LABWARDEN_DATA_DIR or the
 * app's folder; for --demo, a temporary folder unless one is given), the demo lab opened there (--demo), one
 * poll round first (--poll, and always with --demo: collect/poll-round.ts), then the lab opened again for the
 * answer, which is read from the store like any later command's. Opened twice on purpose: the answer is built
 * from what the round stored, never from a graph cached before it.
 */
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { UsageError } from './args';
import { call, CommandFailed } from './call';
import { openLab, type OpenLab } from '../common/open-lab';
import { defaultDataDir } from '../common/data-dir';
import { DemoPeers } from '../common/demo-peers';
import { getSetting } from '../../store/settings';
import { START_CHOSEN_KEY } from '../../api/service';
import { pollRound, ROUND_PROTOCOL_LABELS, type PollRound, type RoundResult } from '../../collect/poll-round';
import type { CliIo } from './commands';

type Options = Map<string, string | true>;

/** The options every lab-answering command takes (besides --json). */
export const SESSION_VALUED = ['data-dir', 'timeout'] as const;
export const SESSION_FLAGS = ['poll', 'demo'] as const;

/** The whole poll round's budget when --timeout is not given. */
export const DEFAULT_ROUND_SECONDS = 30;

/** The files a Labwarden data folder holds (the database with its WAL files, the key file). */
const OWN_FILES = new Set(['labwarden.db', 'labwarden.db-wal', 'labwarden.db-shm', 'labwarden.db-journal', 'labwarden.key']);

export function dataDirOf(options: Options, io: CliIo): string {
  const given = options.get('data-dir');
  return typeof given === 'string' ? resolve(given) : defaultDataDir(io.env);
}

/** --timeout S: only with --poll or --demo, 1–600 s. */
function roundSeconds(options: Options, polling: boolean): number {
  const text = options.get('timeout');
  if (text === undefined) return DEFAULT_ROUND_SECONDS;
  if (!polling) throw new UsageError('--timeout is the budget of --poll; add --poll');
  const seconds = Number(text);
  if (!(seconds > 0 && seconds <= 600)) throw new UsageError(`--timeout ${String(text)} is not 1–600 seconds`);
  return seconds;
}

/**
 * Runs `work` on the lab the options name, after a poll round when --poll or --demo asks for one. A temporary
 * demo folder is removed afterwards, whatever happened.
 */
export async function withAnsweringLab<T>(options: Options, io: CliIo, work: (lab: OpenLab) => Promise<T>): Promise<T> {
  const demo = options.has('demo');
  const polling = demo || options.has('poll');
  const seconds = roundSeconds(options, polling);
  const given = options.get('data-dir');
  let dataDir: string;
  let temporary = false;
  if (demo && typeof given !== 'string') {
    // Never the user's own lab: the demo gets a folder of its own.
    dataDir = mkdtempSync(join(tmpdir(), 'labwarden-demo-'));
    temporary = true;
  } else {
    dataDir = dataDirOf(options, io);
    if (demo) refuseForeignFolder(dataDir);
  }
  try {
    if (polling) {
      const lab = openLab({ dataDir, mode: 'cli' });
      try {
        if (demo) await openDemo(lab, dataDir, temporary, io);
        await pollOnce(lab, seconds, io);
      } finally {
        await lab.close();
      }
    }
    const lab = openLab({ dataDir, mode: 'cli' });
    try {
      return await work(lab);
    } finally {
      await lab.close();
    }
  } finally {
    if (temporary) rmSync(dataDir, { recursive: true, force: true });
  }
}

/** A folder --demo may use: new, empty, or a Labwarden data folder (whose lab openDemo checks). */
function refuseForeignFolder(dir: string): void {
  if (!existsSync(dir)) return;
  if (!statSync(dir).isDirectory()) throw new CommandFailed(`${dir} is not a folder; --demo needs an empty or new folder for its lab`);
  const entries = readdirSync(dir);
  if (entries.length > 0 && !entries.includes('labwarden.db')) {
    const other = entries.filter((name) => !OWN_FILES.has(name));
    throw new CommandFailed(`${dir} is not empty (${other.slice(0, 3).join(', ')}${other.length > 3 ? ', …' : ''}) and holds no Labwarden lab; --demo needs an empty or new folder`);
  }
}

/** The demo lab in this data folder: kept when it is there, opened when the folder's lab is empty, else refused. */
async function openDemo(lab: OpenLab, dataDir: string, temporary: boolean, io: CliIo): Promise<void> {
  if (getSetting(lab.db, START_CHOSEN_KEY) === 'demo') {
    io.err(`The demo lab in ${dataDir}\n`);
    return;
  }
  const counts = await call(lab, 'inventory.counts');
  if (Object.values(counts).some((n) => n > 0)) {
    throw new CommandFailed(
      `${dataDir} holds another lab (${counts.devices} device${counts.devices === 1 ? '' : 's'}), not the demo; --demo leaves it alone: give it an empty or new --data-dir`,
    );
  }
  await call(lab, 'app.chooseStart', 'demo');
  io.err(temporary ? 'Opened the demo lab in a temporary folder (removed afterwards; --data-dir DIR keeps it)\n' : `Opened the demo lab in ${dataDir}\n`);
}

/** One poll round over the lab, its progress on stderr; the demo lab answered by the built-in simulators, as in the app. */
async function pollOnce(lab: OpenLab, seconds: number, io: CliIo): Promise<PollRound> {
  const peers = getSetting(lab.db, START_CHOSEN_KEY) === 'demo' ? new DemoPeers(() => {}) : null;
  try {
    if (peers && !(await peers.whenReady())) throw new CommandFailed("the demo lab's built-in simulators could not start on loopback");
    const round = await pollRound({
      db: lab.db,
      box: lab.box,
      timeoutMs: seconds * 1000,
      ...(peers
        ? {
            redirects: {
              pool: (device) => peers.redirect(device),
              snmp: (device) => peers.redirectSnmp(device),
              storage: { portal: (device, address, port) => peers.redirectPortal(device, address, port), dsm: (device) => peers.redirectDsm(device) },
            },
          }
        : {}),
      onResult: (result) => io.err(`${roundLine(result)}\n`),
    });
    io.err(`${roundSummary(round, seconds)}\n`);
    return round;
  } finally {
    await peers?.close();
  }
}

const secondsText = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** "polled sw-a (SNMP) 0.4 s", "hp-pool (XenAPI): unreachable after 3.0 s: …". */
export function roundLine(result: RoundResult): string {
  const what = `${result.device} (${ROUND_PROTOCOL_LABELS[result.protocol]})`;
  switch (result.outcome) {
    case 'ok':
      return `polled ${what} ${secondsText(result.ms ?? 0)}`;
    case 'failed':
      return `${what}: ${result.state} after ${secondsText(result.ms ?? 0)}: ${result.message}`;
    case 'skipped':
      return `skipped ${what}: ${result.message}`;
    case 'timeout':
      return `${what}: ${result.message}`;
  }
}

function roundSummary(round: PollRound, seconds: number): string {
  const count = (outcome: RoundResult['outcome']) => round.results.filter((r) => r.outcome === outcome).length;
  if (round.results.length === 0) return 'Nothing to poll: no device of this lab has a protocol set up.';
  const parts = [`${count('ok')} answered`, `${count('failed')} failed`];
  if (count('skipped')) parts.push(`${count('skipped')} skipped (store a secret with: labwarden secret set DEVICE NAME --file FILE)`);
  if (count('timeout')) parts.push(`${count('timeout')} gave no result within the --timeout of ${seconds} s`);
  return `Poll round in ${secondsText(round.ms)}: ${parts.join(', ')}.`;
}
