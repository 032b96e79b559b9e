// `npm run native:electron`: better-sqlite3 built for Electron's ABI, into .native/electron/better_sqlite3.node.
//
// better-sqlite3 uses the V8 API, so its .node file loads in one runtime ABI only. Tests, serve mode and the
// CLI use the Node build in node_modules/better-sqlite3/build; this never touches it. It compiles a copy of
// the package (without build/) in .native/build/, against Electron's headers, which node-gyp downloads from
// electronjs.org: this needs internet access. The desktop app passes the result to better-sqlite3 as
// `nativeBinding` (src-main/shells/electron/native-binding.ts); electron-builder.yml packs it.
//
// The trap this avoids (docs: toolchain.md §2): with npm_config_nodedir set (our CI sets it for the Node
// build), node-gyp silently compiles against *Node's* headers and the result is labelled Electron but
// exports node_register_module_v115. So nodedir is removed from node-gyp's environment, and the result
// is checked for Electron's own module symbol before it is kept.
import { spawnSync } from 'node:child_process';
import { cpSync, copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, renameSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const SOURCE = join(ROOT, 'node_modules', 'better-sqlite3');
const WORK = join(ROOT, '.native', 'build', 'better-sqlite3');
const TARGET = join(ROOT, '.native', 'electron', 'better_sqlite3.node');
const HEADERS_URL = 'https://electronjs.org/headers';

class Refusal extends Error {}

function readElectron() {
  const dir = join(ROOT, 'node_modules', 'electron');
  try {
    const version = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).version;
    const abi = readFileSync(join(dir, 'abi_version'), 'utf8').trim();
    if (!/^\d+\.\d+\.\d+/.test(version) || !/^\d+$/.test(abi)) throw new Error('unexpected contents');
    return { version, abi };
  } catch {
    throw new Refusal('node_modules/electron is missing or incomplete (its package.json and abi_version are needed); run "npm ci"');
  }
}

/** node-gyp: npm's configured one, else the one bundled with this Node's npm, else whatever npx finds. */
function nodeGyp() {
  const configured = process.env.npm_config_node_gyp;
  if (configured && existsSync(configured)) return { command: process.execPath, prefix: [configured] };
  const bundled = join(dirname(process.execPath), '..', 'lib', 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js');
  if (existsSync(bundled)) return { command: process.execPath, prefix: [bundled] };
  return { command: process.platform === 'win32' ? 'npx.cmd' : 'npx', prefix: ['--yes', 'node-gyp'] };
}

/** Does this .node file register itself as a module of ABI `abi`? (The symbol name is in the binary.) */
export function exportsModuleVersion(file, abi) {
  return readFileSync(file).includes(Buffer.from(`node_register_module_v${abi}\0`, 'latin1'));
}

function foundModuleVersions(file) {
  return [...readFileSync(file).toString('latin1').matchAll(/node_register_module_v(\d+)/g)].map((m) => m[1]);
}

/** node-gyp's environment: no nodedir in any spelling npm accepts, so it fetches Electron's headers. */
function buildEnv() {
  const env = { ...process.env };
  for (const key of Object.keys(env)) {
    if (/^npm_config_(nodedir|target|runtime|disturl|dist_url)$/i.test(key)) delete env[key];
  }
  return env;
}

function looksOffline(output) {
  return /ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|ETIMEDOUT|ENETUNREACH|network|getaddrinfo|fetch failed|socket hang up/i.test(output);
}

function main() {
  const { version, abi } = readElectron();
  if (!existsSync(join(SOURCE, 'binding.gyp'))) throw new Refusal('node_modules/better-sqlite3 is missing; run "npm ci"');

  // A fresh copy of the package without its build/: the Node build in node_modules stays as it is.
  rmSync(WORK, { recursive: true, force: true });
  mkdirSync(dirname(WORK), { recursive: true });
  cpSync(SOURCE, WORK, {
    recursive: true,
    filter: (path) => {
      const inside = relative(SOURCE, path);
      return inside !== 'build' && !inside.startsWith(`build${sep}`) && inside !== 'node_modules' && !inside.startsWith(`node_modules${sep}`);
    },
  });

  process.stderr.write(`Building better-sqlite3 for Electron ${version} (ABI ${abi}); this takes a minute or two...\n`);
  const gyp = nodeGyp();
  const result = spawnSync(
    gyp.command,
    [...gyp.prefix, 'rebuild', '--release', `--target=${version}`, `--dist-url=${HEADERS_URL}`, '--runtime=electron', `--arch=${process.arch}`],
    { cwd: WORK, env: buildEnv(), encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 },
  );
  const output = `${result.stdout ?? ''}${result.stderr ?? ''}`;
  if (result.error) throw new Refusal(`cannot run node-gyp (${result.error.message})`);
  if (result.status !== 0) {
    if (looksOffline(output)) {
      throw new Refusal(`needs internet access to download Electron's headers (${HEADERS_URL}/v${version}); nothing was changed`);
    }
    process.stderr.write(output.split('\n').slice(-40).join('\n') + '\n');
    throw new Refusal('node-gyp could not build better-sqlite3 for Electron (its output is above); nothing was changed');
  }

  const built = join(WORK, 'build', 'Release', 'better_sqlite3.node');
  if (!existsSync(built)) throw new Refusal(`node-gyp reported success but ${relative(ROOT, built)} is missing`);
  if (!exportsModuleVersion(built, abi)) {
    const found = foundModuleVersions(built);
    rmSync(built, { force: true });
    throw new Refusal(
      `refused the result: it was built for ABI ${found.join(', ') || 'unknown'}, not Electron's ${abi} ` +
        '(were Node\'s headers used? check that no nodedir is configured); it was deleted',
    );
  }

  // Into place through a rename, so a half-copied file is never mistaken for a good one.
  mkdirSync(dirname(TARGET), { recursive: true });
  const partial = `${TARGET}.partial`;
  copyFileSync(built, partial);
  renameSync(partial, TARGET);
  process.stderr.write(`Wrote ${relative(ROOT, TARGET)} (Electron ${version}, ABI ${abi}).\n`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  try {
    main();
  } catch (error) {
    process.stderr.write(`native:electron: ${error instanceof Refusal ? error.message : (error?.message ?? String(error))}\n`);
    process.exit(1);
  }
}
