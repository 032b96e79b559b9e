/**
 * The built bundles (npm run build → out/), read as text and never loaded, except the CLI under plain
 * Node: loading out/main/index.js or out/preload/index.js would require the real 'electron', which tries
 * to download Electron's binary.
 */
import { describe, it, expect } from 'vitest';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join, resolve, dirname } from 'node:path';
import { execFileSync } from 'node:child_process';
import { METHOD_NAMES } from '../../../src-main/api/method-names';
import { version } from '../../../package.json';

const ROOT = resolve(__dirname, '../../..');
const OUT = join(ROOT, 'out');
const CLI = join(OUT, 'main', 'cli.js');
const SHELL = join(OUT, 'main', 'index.js');
const PRELOAD = join(OUT, 'preload', 'index.js');
const built = existsSync(CLI) && existsSync(SHELL) && existsSync(PRELOAD);

if (!built) console.warn('bundles.test.ts: out/ is not built, so the bundle checks are skipped; run "npm run build" (npm test builds first).');

const requiresOf = (text: string) => [...text.matchAll(/\brequire\(\s*(["'`])([^"'`]+)\1\s*\)/g)].map((m) => m[2]!);
const importsElectron = (text: string) =>
  requiresOf(text).some((r) => r === 'electron' || r.startsWith('electron/')) || /\bfrom\s*["']electron["']/.test(text);

/** A bundle and every local chunk it requires, transitively. */
function withChunks(entry: string): Map<string, string> {
  const seen = new Map<string, string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    const text = readFileSync(file, 'utf8');
    seen.set(file, text);
    for (const r of requiresOf(text)) if (r.startsWith('./') || r.startsWith('../')) visit(resolve(dirname(file), r));
  };
  visit(entry);
  return seen;
}

describe.skipIf(!built)('the built bundles (out/)', () => {
  it('the CLI bundle and every chunk it loads never require electron', () => {
    const files = withChunks(CLI);
    expect(files.size).toBeGreaterThanOrEqual(1);
    for (const [file, text] of files) expect(importsElectron(text), file).toBe(false);
  });

  it('only the Electron shell bundle requires electron', () => {
    expect(importsElectron(readFileSync(SHELL, 'utf8'))).toBe(true);
    const others = readdirSync(join(OUT, 'main'), { recursive: true, encoding: 'utf8' })
      .filter((f) => f.endsWith('.js') && f !== 'index.js')
      .filter((f) => importsElectron(readFileSync(join(OUT, 'main', f), 'utf8')));
    expect(others).toEqual([]);
  });

  it('the preload is one sandbox-compatible file: it requires electron and nothing else', () => {
    const text = readFileSync(PRELOAD, 'utf8');
    expect(requiresOf(text)).toEqual(['electron']);
    expect(text).not.toMatch(/\bimport\s*\(|^\s*import\s/m);
  });

  it('the preload carries every API method name', () => {
    const text = readFileSync(PRELOAD, 'utf8');
    for (const name of METHOD_NAMES) expect(text, name).toContain(`"${name}"`);
  });

  it('the CLI runs under plain Node: --version prints the package version', () => {
    const output = execFileSync(process.execPath, [CLI, '--version'], { encoding: 'utf8', timeout: 30_000 });
    expect(output.trim()).toBe(version);
  });
});
