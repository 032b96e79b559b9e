import type { z } from 'zod';
import type { FieldIssue } from '../domain/errors';

/** Shows a received value in a message without echoing a whole document or a secret-sized blob. */
function show(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (typeof value === 'string') return value.length > 40 ? `"${value.slice(0, 40)}…"` : `"${value}"`;
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return String(value);
}

const NOUNS: Record<string, string> = {
  string: 'text',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  array: 'a list',
  object: 'a mapping',
  tuple: 'a list',
};

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let value = input;
  for (const key of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

/**
 * Zod's issues in the lab's words, one per field. Unknown keys get their own path (the key itself), so an
 * import can point at the line of the stray key.
 */
export function fieldIssues(error: z.ZodError, input: unknown): FieldIssue[] {
  const out: FieldIssue[] = [];
  for (const issue of error.issues) {
    const path = issue.path.filter((p): p is string | number => typeof p !== 'symbol');
    const received = valueAt(input, path);
    switch (issue.code) {
      case 'invalid_type':
        out.push({
          path,
          message:
            received === undefined
              ? 'is required'
              : `expected ${NOUNS[issue.expected] ?? issue.expected}, got ${show(received)}`,
        });
        break;
      case 'invalid_value':
        out.push({ path, message: `${show(received)} is not one of: ${issue.values.map(String).join(', ')}` });
        break;
      case 'unrecognized_keys':
        for (const key of issue.keys) out.push({ path: [...path, key], message: `unknown key "${key}"` });
        break;
      case 'too_small':
        out.push({
          path,
          message:
            issue.message && !issue.message.startsWith('Too small')
              ? issue.message
              : issue.origin === 'array'
                ? `needs at least ${issue.minimum} item(s)`
                : `must be at least ${issue.minimum}`,
        });
        break;
      case 'too_big':
        out.push({
          path,
          message:
            issue.message && !issue.message.startsWith('Too big')
              ? issue.message
              : issue.origin === 'array'
                ? `at most ${issue.maximum} item(s)`
                : `must be at most ${issue.maximum}`,
        });
        break;
      default:
        out.push({ path, message: issue.message });
    }
  }
  return out;
}
