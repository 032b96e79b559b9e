#!/usr/bin/env node
// `npm test`: build, type checks (tsc + svelte-check), unit and integration tests (vitest), end-to-end tests
// (Playwright driving Debian's Chromium against serve mode). Every stage runs even when an earlier one
// fails, so one run shows everything; the last line is the plain "N passed, N failed" that CI reads
// (tests from vitest and Playwright; a failed build or type check counts as one failure each).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const reports = join(root, 'reports');
const bin = (name) => join(root, 'node_modules', '.bin', name);
mkdirSync(reports, { recursive: true });

function run(title, command, args, env = {}) {
  process.stdout.write(`\n── ${title} ──\n`);
  const started = Date.now();
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  const ok = result.status === 0;
  process.stdout.write(`── ${title}: ${ok ? 'ok' : `failed (exit ${result.status ?? result.signal})`} in ${seconds} s ──\n`);
  return ok;
}

function readJson(path) {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    return null;
  }
}

let passed = 0;
let failed = 0;
let skipped = 0;
const failures = [];

const built = run('build (electron-vite)', bin('electron-vite'), ['build']);
if (!built) failures.push('build');
if (!run('type check: main process (tsc)', bin('tsc'), ['-p', 'tsconfig.node.json', '--noEmit'])) failures.push('tsc');
if (!run('type check: UI (svelte-check)', bin('svelte-check'), ['--tsconfig', './tsconfig.web.json', '--fail-on-warnings', '--output', 'human']))
  failures.push('svelte-check');

const vitestJson = join(reports, 'vitest.json');
rmSync(vitestJson, { force: true });
run('unit and integration tests (vitest)', bin('vitest'), ['run', '--reporter=default', '--reporter=json', `--outputFile=${vitestJson}`]);
const vitest = readJson(vitestJson);
if (vitest) {
  passed += vitest.numPassedTests;
  failed += vitest.numFailedTests;
  skipped += (vitest.numPendingTests ?? 0) + (vitest.numTodoTests ?? 0);
  // A file that fails to load has no tests to count; count it as a failure.
  const brokenFiles = (vitest.testResults ?? []).filter((f) => f.status === 'failed' && (f.assertionResults ?? []).length === 0).length;
  failed += brokenFiles;
  if (vitest.numFailedTests || brokenFiles) failures.push('vitest');
} else {
  failures.push('vitest (no report)');
  failed += 1;
}

const playwrightJson = join(reports, 'playwright.json');
rmSync(playwrightJson, { force: true });
if (built) {
  run('end-to-end tests (Playwright + Chromium, serve mode)', bin('playwright'), ['test', '--reporter=list,json'], {
    PLAYWRIGHT_JSON_OUTPUT_NAME: playwrightJson,
  });
  const playwright = readJson(playwrightJson);
  if (playwright?.stats) {
    passed += playwright.stats.expected + (playwright.stats.flaky ?? 0);
    failed += playwright.stats.unexpected;
    skipped += playwright.stats.skipped ?? 0;
    if (playwright.stats.unexpected) failures.push('playwright');
    if (playwright.errors?.length) {
      failed += 1;
      failures.push('playwright (setup)');
    }
  } else {
    failures.push('playwright (no report)');
    failed += 1;
  }
} else {
  process.stdout.write('\n── end-to-end tests skipped: the build failed ──\n');
}

for (const stage of ['build', 'tsc', 'svelte-check']) if (failures.includes(stage)) failed += 1;

const summary = `${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`;
writeFileSync(join(reports, 'summary.txt'), `${summary}\n`);
if (failures.length) process.stdout.write(`\nFailed stages: ${failures.join(', ')}\n`);
if (!existsSync(join(root, 'out/main/cli.js'))) process.stdout.write('(out/main/cli.js is missing: the build did not finish)\n');
process.stdout.write(`\n${summary}\n`);
process.exitCode = failures.length ? 1 : 0;
