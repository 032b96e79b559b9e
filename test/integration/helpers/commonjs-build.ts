/**
 * Makes plain-Node CommonJS of a src-main module and everything it imports (relative imports only), with the
 * project's own TypeScript (a direct devDependency) and no bundler. For tests that must run our code in
 * another process, e.g. inside a network namespace through `ip netns exec`, where vitest cannot reach and
 * Node 20 cannot strip types. Each file is transpiled on its own (isolatedModules holds for the whole tree),
 * into the same layout, so `require('./x')` finds `./x.js`.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';

/** Writes `entry` and its relative imports under `outDir`, keeping their paths relative to `root`; returns the entry's .js. */
export function buildCommonJs(entry: string, root: string, outDir: string): string {
  const seen = new Set<string>();
  const pending = [resolve(entry)];
  while (pending.length > 0) {
    const file = pending.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    const source = readFileSync(file, 'utf8');
    for (const imported of ts.preProcessFile(source, true, true).importedFiles) {
      if (!imported.fileName.startsWith('.')) continue;
      const target = resolve(dirname(file), imported.fileName);
      pending.push(target.endsWith('.ts') ? target : `${target}.ts`);
    }
    const output = ts.transpileModule(source, {
      fileName: file,
      compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true, sourceMap: false },
    }).outputText;
    const out = join(outDir, relative(root, file)).replace(/\.ts$/, '.js');
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, output);
  }
  return join(outDir, relative(root, resolve(entry))).replace(/\.ts$/, '.js');
}
