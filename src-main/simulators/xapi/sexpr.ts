/**
 * The s-expressions xapi writes into its database dump for sets and maps: `('a' 'b')` and
 * `(('k' 'v') ('k2' 'v2'))`. Same lexical rules as xapi's own reader (xen-api ocaml/libs/sexpr:
 * sExprLexer.mll, sExpr.ml): strings in single or double quotes, a backslash makes the next character
 * literal (`\'`, `\\`, `\"` occur in real dumps), unquoted runs are symbols, `;` starts a comment.
 * The reader is iterative and bounded in depth, so no input can exhaust the stack.
 */

export type SExpr = string | SExpr[];

export class SExprError extends Error {
  override readonly name = 'SExprError';
}

/** Maps and sets nest two levels; anything much deeper is not a xapi value. */
export const SEXPR_MAX_DEPTH = 32;

const isSpace = (c: string) => c === ' ' || c === '\t' || c === '\r' || c === '\n';
// Characters that end an unquoted symbol (the lexer's [^ '"' ' ' '\t' '\n' '(' ')']).
const endsSymbol = (c: string) => c === '"' || c === ' ' || c === '\t' || c === '\n' || c === '(' || c === ')';

export function parseSExpr(text: string, maxDepth = SEXPR_MAX_DEPTH): SExpr {
  const stack: SExpr[][] = [];
  let result: SExpr | undefined;
  let i = 0;
  const emit = (value: SExpr) => {
    const open = stack[stack.length - 1];
    if (open) open.push(value);
    else if (result === undefined) result = value;
    else throw new SExprError(`unexpected data after the expression at offset ${i}`);
  };
  while (i < text.length) {
    const c = text[i]!;
    if (isSpace(c)) {
      i++;
    } else if (c === ';') {
      const end = text.indexOf('\n', i);
      i = end < 0 ? text.length : end + 1;
    } else if (c === '(') {
      if (stack.length === 0 && result !== undefined) throw new SExprError(`unexpected data after the expression at offset ${i}`);
      if (stack.length >= maxDepth) throw new SExprError(`nested deeper than ${maxDepth} levels at offset ${i}`);
      stack.push([]);
      i++;
    } else if (c === ')') {
      const closed = stack.pop();
      if (!closed) throw new SExprError(`unbalanced ')' at offset ${i}`);
      i++;
      emit(closed);
    } else if (c === "'" || c === '"') {
      const [value, next] = readQuoted(text, i);
      i = next;
      emit(value);
    } else {
      let end = i;
      while (end < text.length && !endsSymbol(text[end]!)) end++;
      emit(text.slice(i, end));
      i = end;
    }
  }
  if (stack.length > 0) throw new SExprError(`unbalanced '(': ${stack.length} list(s) left open`);
  if (result === undefined) throw new SExprError('empty s-expression');
  return result;
}

/** A quoted string starting at `start`; returns its unescaped value and the offset after it. */
function readQuoted(text: string, start: number): [string, number] {
  const quote = text[start]!;
  let out = '';
  let runStart = start + 1;
  let i = runStart;
  while (i < text.length) {
    const c = text[i]!;
    if (c === quote) return [out + text.slice(runStart, i), i + 1];
    if (c === '\\') {
      if (i + 1 >= text.length) break;
      out += text.slice(runStart, i) + text[i + 1]!; // xapi keeps the escaped character as it is
      i += 2;
      runStart = i;
    } else {
      i++;
    }
  }
  throw new SExprError(`unterminated string starting at offset ${start}`);
}

const escape = (s: string) => s.replace(/[\\'"]/g, (c) => `\\${c}`);

/** The text xapi would write for a value (SExpr.string_of). */
export function writeSExpr(value: SExpr): string {
  if (typeof value === 'string') return `'${escape(value)}'`;
  return `(${value.map(writeSExpr).join(' ')})`;
}

/** A set: a list of strings. */
export function setOfSExpr(value: SExpr): string[] {
  if (typeof value === 'string') throw new SExprError('expected a list, found a string');
  return value.map((item, index) => {
    if (typeof item !== 'string') throw new SExprError(`set item ${index} is a list, expected a string`);
    return item;
  });
}

/** A map: a list of two-string lists. A repeated key keeps its last value. */
export function mapOfSExpr(value: SExpr): Map<string, string> {
  if (typeof value === 'string') throw new SExprError('expected a list of pairs, found a string');
  const map = new Map<string, string>();
  value.forEach((pair, index) => {
    if (typeof pair === 'string' || pair.length !== 2 || typeof pair[0] !== 'string' || typeof pair[1] !== 'string') {
      throw new SExprError(`map entry ${index} is not a ('key' 'value') pair`);
    }
    map.set(pair[0], pair[1]);
  });
  return map;
}

export const writeSet = (items: readonly string[]) => writeSExpr([...items]);
export const writeMap = (entries: Iterable<readonly [string, string]>) => writeSExpr([...entries].map(([k, v]) => [k, v]));
