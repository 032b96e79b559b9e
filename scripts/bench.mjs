// `npm run bench`: every bench/*.bench.ts, one at a time, printing figures and ratios (nothing asserted).
import { spawnSync } from 'node:child_process';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const result = spawnSync(join(root, 'node_modules/.bin/vitest'), ['run', '--config', 'bench/vitest.config.mts', ...process.argv.slice(2)], {
  cwd: root,
  stdio: 'inherit',
});
process.exitCode = result.status ?? 1;
