/**
 * src-main/simulators/ is a stand-in for lab peers, bundled into the app but outside its layering: it may
 * import Node built-ins and the app's npm dependencies only, never another src-main layer (so the app's
 * XenAPI client can be tested against it without the two sharing code), and no layer but the shells may
 * import it. Imports are read with TypeScript's parser, as in architecture.test.ts.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join, relative, resolve, dirname, sep } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(__dirname, '../../..');
const MAIN = join(ROOT, 'src-main');
const SIMULATORS = join(MAIN, 'simulators');
const dependencies = Object.keys((JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { dependencies: Record<string, string> }).dependencies);

function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const full = join(dir, entry);
    if (statSync(full).isDirectory()) return tsFiles(full);
    return entry.endsWith('.ts') ? [full] : [];
  });
}

function specifiers(file: string): string[] {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  const visit = (node: ts.Node): void => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      found.push(node.moduleSpecifier.text);
    } else if (ts.isCallExpression(node) && node.arguments[0] && ts.isStringLiteralLike(node.arguments[0])) {
      const callee = node.expression;
      if (callee.kind === ts.SyntaxKind.ImportKeyword || (ts.isIdentifier(callee) && callee.text === 'require')) found.push(node.arguments[0].text);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

const isBuiltin = (s: string) => s.startsWith('node:') || builtinModules.includes(s);
const packageOf = (s: string) => (s.startsWith('@') ? s.split('/').slice(0, 2).join('/') : s.split('/')[0]!);

describe('src-main/simulators/', () => {
  const files = tsFiles(SIMULATORS);

  it('exists and has the xapi simulator in it (a scan of nothing proves nothing)', () => {
    expect(files.some((f) => f.endsWith(join('xapi', 'index.ts')))).toBe(true);
  });

  it('imports only Node built-ins, npm dependencies, and its own files', () => {
    const offending = files.flatMap((file) =>
      specifiers(file)
        .filter((s) => {
          if (isBuiltin(s)) return false;
          if (s.startsWith('.')) return !resolve(dirname(file), s).startsWith(SIMULATORS + sep);
          return !dependencies.includes(packageOf(s));
        })
        .map((s) => `${relative(ROOT, file)} imports ${s}`),
    );
    expect(offending).toEqual([]);
  });

  it('is imported by no src-main layer but the shells', () => {
    const offending = tsFiles(MAIN)
      .filter((file) => !file.startsWith(SIMULATORS + sep) && !file.startsWith(join(MAIN, 'shells') + sep))
      .flatMap((file) => specifiers(file).filter((s) => s.startsWith('.') && resolve(dirname(file), s).startsWith(SIMULATORS)).map((s) => `${relative(ROOT, file)} imports ${s}`));
    expect(offending).toEqual([]);
  });
});
