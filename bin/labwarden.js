#!/usr/bin/env node
// The `labwarden` command (package.json "bin"): the CLI bundle, built first if this checkout never was.
// Build chatter goes to stderr, so `labwarden export > lab.yaml` stays clean.
'use strict';
const { existsSync } = require('node:fs');
const { join } = require('node:path');
const { spawnSync } = require('node:child_process');

const root = join(__dirname, '..');
const cli = join(root, 'out', 'main', 'cli.js');

if (!existsSync(cli)) {
  const electronVite = join(root, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js');
  if (!existsSync(electronVite)) {
    process.stderr.write(`labwarden: the app is not built and cannot be: run "npm ci && npm run build" in ${root}\n`);
    process.exit(1);
  }
  process.stderr.write('labwarden: building the app first (once)...\n');
  const build = spawnSync(process.execPath, [electronVite, 'build'], { cwd: root, encoding: 'utf8', env: { ...process.env, FORCE_COLOR: '0' } });
  if (build.status !== 0 || !existsSync(cli)) {
    process.stderr.write(`${build.stdout ?? ''}${build.stderr ?? ''}`);
    process.stderr.write('labwarden: the build failed; see the output above.\n');
    process.exit(1);
  }
}

require(cli);
