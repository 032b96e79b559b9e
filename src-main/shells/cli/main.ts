/**
 * The `labwarden` command's entry (bundled to out/main/cli.js). Everything testable is in commands.ts;
 * this file binds it to the process: output streams, signals, and opening a browser.
 */
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { runCli } from './commands';

function openBrowser(url: string): void {
  // Only where a desktop session exists; a server over SSH has no browser to open.
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) {
    process.stdout.write('No desktop display here: open the address above in a browser.\n');
    return;
  }
  const opener = process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? 'explorer' : 'xdg-open';
  try {
    const child = spawn(opener, [url], { stdio: 'ignore', detached: true });
    child.on('error', () => process.stderr.write(`(no browser could be opened: open ${url} yourself)\n`));
    child.unref();
  } catch {
    // Opening a browser is a courtesy; the URL is printed either way.
  }
}

async function main(): Promise<void> {
  const result = await runCli(process.argv.slice(2), {
    out: (text) => process.stdout.write(text),
    err: (text) => process.stderr.write(text),
    env: process.env,
    staticDir: join(__dirname, '../renderer'),
    openBrowser,
    color: process.stdout.isTTY === true && !process.env.NO_COLOR,
  });
  if (!result.server) {
    process.exitCode = result.code;
    // The answer is out. A poll round's straggler (a login to an unreachable host, a DSM read) may hold a socket
    // for its own timeout; it has nothing left to tell, so it does not keep the command waiting.
    setTimeout(() => process.exit(), 1000).unref();
    return;
  }
  const { server, lab } = result;
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await server.close();
    await lab?.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
}

main().catch((error: unknown) => {
  process.stderr.write(`labwarden: ${(error as Error)?.message ?? String(error)}\n`);
  process.exit(1);
});
