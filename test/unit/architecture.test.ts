/**
 * The house rules of DESIGN.md, checked on every import in src-main/ and src-renderer/:
 * arrows point one way (shells → api → collect/apply → drivers/store → domain), only shells/electron
 * imports 'electron', and the renderer takes nothing but type declarations from src-main/.
 * Imports are read with TypeScript's own parser, so comments and strings never count as imports.
 */
import { describe, it, expect } from 'vitest';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve, dirname, sep } from 'node:path';
import ts from 'typescript';

const ROOT = resolve(__dirname, '../..');
const MAIN = join(ROOT, 'src-main');
const RENDERER = join(ROOT, 'src-renderer');

interface Import {
  /** The file, relative to the repository root, with forward slashes. */
  file: string;
  specifier: string;
  /** `import type` / `export type`: erased at build time, no runtime dependency. */
  typeOnly: boolean;
  line: number;
}

function filesUnder(dir: string, extensions: readonly string[]): string[] {
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return [];
  }
  const found: string[] = [];
  for (const entry of entries) {
    if (entry === 'node_modules') continue;
    const full = join(dir, entry);
    if (statSync(full).isDirectory()) found.push(...filesUnder(full, extensions));
    else if (extensions.some((ext) => entry.endsWith(ext))) found.push(full);
  }
  return found;
}

/** The script blocks of a .svelte file (their imports are what the bundler sees). */
function scriptOf(file: string, text: string): string {
  if (!file.endsWith('.svelte')) return text;
  return [...text.matchAll(/<script\b[^>]*>([\s\S]*?)<\/script>/g)].map((m) => m[1]).join('\n');
}

function importsOf(file: string): Import[] {
  const text = scriptOf(file, readFileSync(file, 'utf8'));
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const shown = relative(ROOT, file).split(sep).join('/');
  const found: Import[] = [];
  const add = (node: ts.Node, specifier: string, typeOnly: boolean) =>
    found.push({ file: shown, specifier, typeOnly, line: source.getLineAndCharacterOfPosition(node.getStart()).line + 1 });
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      add(node, node.moduleSpecifier.text, node.importClause?.isTypeOnly === true);
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      add(node, node.moduleSpecifier.text, node.isTypeOnly);
    } else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) {
      const expression = node.moduleReference.expression;
      if (ts.isStringLiteral(expression)) add(node, expression.text, node.isTypeOnly);
    } else if (ts.isCallExpression(node) && node.arguments.length >= 1 && ts.isStringLiteralLike(node.arguments[0]!)) {
      const callee = node.expression;
      const isRequire = ts.isIdentifier(callee) && callee.text === 'require';
      const isDynamicImport = callee.kind === ts.SyntaxKind.ImportKeyword;
      if (isRequire || isDynamicImport) add(node, (node.arguments[0] as ts.StringLiteralLike).text, false);
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument) && ts.isStringLiteral(node.argument.literal)) {
      add(node, node.argument.literal.text, true); // `import('x').T` in a type position
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

const isRelative = (specifier: string) => specifier.startsWith('./') || specifier.startsWith('../');

/** The src-main layer a relative import lands in ('domain', 'shells/electron', …), or null outside src-main. */
function targetIn(fromFile: string, specifier: string): string | null {
  const target = relative(MAIN, resolve(dirname(join(ROOT, fromFile)), specifier));
  if (target.startsWith('..')) return null;
  return target.split(sep).join('/');
}

const layerOf = (pathInMain: string) => pathInMain.split('/')[0]!;

const mainImports = filesUnder(MAIN, ['.ts']).flatMap(importsOf);
const rendererImports = filesUnder(RENDERER, ['.ts', '.svelte']).flatMap(importsOf);

const where = (i: Import) => `${i.file}:${i.line} imports "${i.specifier}"${i.typeOnly ? ' (type only)' : ''}`;

/** Every import from `layer` (a top folder of src-main) that lands in one of `forbidden`. */
function crossings(layer: string, forbidden: readonly string[]): string[] {
  return mainImports
    .filter((i) => i.file.startsWith(`src-main/${layer}/`) && isRelative(i.specifier))
    .filter((i) => {
      const target = targetIn(i.file, i.specifier);
      return target !== null && forbidden.includes(layerOf(target));
    })
    .map(where);
}

describe('the layering of src-main', () => {
  it('finds the sources it checks (a scan of nothing proves nothing)', () => {
    expect(mainImports.length).toBeGreaterThan(50);
    expect(mainImports.some((i) => i.file.startsWith('src-main/domain/'))).toBe(true);
  });

  it('domain/ imports nothing outside domain/: no other layer, no npm package, no node: module', () => {
    const offending = mainImports
      .filter((i) => i.file.startsWith('src-main/domain/'))
      .filter((i) => {
        if (!isRelative(i.specifier)) return true;
        const target = targetIn(i.file, i.specifier);
        return target === null || layerOf(target) !== 'domain';
      })
      .map(where);
    expect(offending).toEqual([]);
  });

  it('store/ never imports api/, shells/, collect/, apply/ or drivers/', () => {
    expect(crossings('store', ['api', 'shells', 'collect', 'apply', 'drivers'])).toEqual([]);
  });

  it('drivers/ never imports store/, api/, shells/, collect/ or apply/', () => {
    expect(crossings('drivers', ['store', 'api', 'shells', 'collect', 'apply'])).toEqual([]);
  });

  it('collect/ and apply/ never import api/ or shells/', () => {
    expect([...crossings('collect', ['api', 'shells']), ...crossings('apply', ['api', 'shells'])]).toEqual([]);
  });

  it('simulators/ stand alone: they import no other layer, and only shells/ start them', () => {
    const reachingOut = mainImports
      .filter((i) => i.file.startsWith('src-main/simulators/') && isRelative(i.specifier))
      .filter((i) => {
        const target = targetIn(i.file, i.specifier);
        return target !== null && layerOf(target) !== 'simulators';
      })
      .map(where);
    const reachingIn = mainImports
      .filter((i) => !i.file.startsWith('src-main/simulators/') && !i.file.startsWith('src-main/shells/') && isRelative(i.specifier))
      .filter((i) => targetIn(i.file, i.specifier)?.startsWith('simulators/') === true)
      .map(where);
    expect([...reachingOut, ...reachingIn]).toEqual([]);
  });

  it('api/ never imports shells/', () => {
    expect(crossings('api', ['shells'])).toEqual([]);
  });

  it("only shells/electron/ imports 'electron', so everything else loads under plain Node", () => {
    const electronImports = mainImports.filter((i) => i.specifier === 'electron' || i.specifier.startsWith('electron/'));
    expect(electronImports.filter((i) => !i.file.startsWith('src-main/shells/electron/')).map(where)).toEqual([]);
    // The rule has teeth: the shell itself does import it.
    expect(electronImports.some((i) => i.file === 'src-main/shells/electron/main.ts')).toBe(true);
  });

  it('the other shells and common/ never reach into shells/electron/', () => {
    const offending = mainImports
      .filter((i) => i.file.startsWith('src-main/') && !i.file.startsWith('src-main/shells/electron/') && isRelative(i.specifier))
      .filter((i) => targetIn(i.file, i.specifier)?.startsWith('shells/electron') === true)
      .map(where);
    expect(offending).toEqual([]);
  });
});

describe('the renderer', () => {
  it('takes only type declarations from src-main/ (import type), and never electron', () => {
    const offending = rendererImports
      .filter((i) => {
        if (i.specifier === 'electron' || i.specifier.startsWith('electron/')) return true;
        if (!isRelative(i.specifier)) return false;
        const target = relative(ROOT, resolve(dirname(join(ROOT, i.file)), i.specifier)).split(sep).join('/');
        return target.startsWith('src-main/') && !i.typeOnly;
      })
      .map(where);
    expect(offending).toEqual([]);
  });

  it('knows src-main/ only through the API contract and the domain, never a collector, driver or store', () => {
    const reached = rendererImports
      .filter((i) => isRelative(i.specifier))
      .map((i) => ({ i, target: targetIn(i.file, i.specifier) }))
      .filter((x): x is { i: Import; target: string } => x.target !== null);
    expect(reached.length, 'the renderer does import types from src-main/').toBeGreaterThan(0);
    expect(reached.filter(({ target }) => !['api', 'domain'].includes(layerOf(target))).map(({ i }) => where(i))).toEqual([]);
  });
});
