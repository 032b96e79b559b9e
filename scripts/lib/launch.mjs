// Shared by start.mjs and serve.mjs: build quietly, run a child with the terminal, pass signals on.
// Plain Node (no dependencies), so it works right after `npm ci`.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const CLI_BUNDLE = join(ROOT, 'out', 'main', 'cli.js');

/** The arguments meant for the app: npm strips the `--` of `npm start -- --port 5000`, node does not. */
export function appArgs(argv = process.argv.slice(2)) {
  return argv[0] === '--' ? argv.slice(1) : argv;
}

/** One line on stderr, the way every Labwarden script reports a problem. */
export function say(message) {
  process.stderr.write(`${message}\n`);
}

/**
 * `electron-vite build`, silent when it works; its output, then one line, when it does not.
 * Returns whether out/ is ready.
 */
export function buildQuietly() {
  const bin = join(ROOT, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js');
  if (!existsSync(bin)) {
    say('labwarden: electron-vite is not installed; run "npm ci" first.');
    return false;
  }
  const result = spawnSync(process.execPath, [bin, 'build'], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, FORCE_COLOR: '0' },
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.status === 0) return true;
  process.stderr.write(result.stdout ?? '');
  process.stderr.write(result.stderr ?? '');
  say(`labwarden: the build failed${result.error ? ` (${result.error.message})` : ''}; see the output above.`);
  return false;
}

/**
 * Runs a child on this terminal until it ends, passing SIGINT/SIGTERM/SIGHUP on, and resolves with
 * the exit code to use. A Ctrl+C in a terminal reaches the child too (same process group); forwarding
 * covers `kill <pid of npm start>` and similar.
 */
export function runAttached(command, args, options = {}) {
  return new Promise((resolveExit) => {
    let child;
    try {
      child = spawn(command, args, { cwd: ROOT, stdio: 'inherit', ...options });
    } catch (error) {
      say(`labwarden: cannot start ${command}: ${error.message}`);
      resolveExit(1);
      return;
    }
    const forward = (signal) => () => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    };
    const handlers = ['SIGINT', 'SIGTERM', 'SIGHUP'].map((signal) => [signal, forward(signal)]);
    for (const [signal, handler] of handlers) process.on(signal, handler);
    const done = (code) => {
      for (const [signal, handler] of handlers) process.off(signal, handler);
      resolveExit(code);
    };
    child.on('error', (error) => {
      say(`labwarden: cannot start ${command}: ${error.message}`);
      done(1);
    });
    child.on('exit', (code, signal) => {
      // Stopped by the user's own Ctrl+C or kill: that is a normal end, not a failure.
      if (signal === 'SIGINT' || signal === 'SIGTERM' || signal === 'SIGHUP') done(0);
      else done(code ?? 1);
    });
  });
}

/** Wraps a script's main so that nothing it throws reaches the user as a stack trace. */
export function runMain(main) {
  const fail = (error) => {
    say(`labwarden: ${error?.message ?? String(error)}`);
    process.exit(1);
  };
  process.on('uncaughtException', fail);
  process.on('unhandledRejection', fail);
  Promise.resolve()
    .then(main)
    .then((code) => process.exit(typeof code === 'number' ? code : 0), fail);
}
