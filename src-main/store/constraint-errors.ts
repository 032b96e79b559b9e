import { Conflict, InvalidInput, type FieldIssue } from '../domain/errors';

/**
 * The database enforces uniqueness and references as the last line of defence; this turns its
 * constraint errors into the field-level messages the UI shows. Anything unrecognised is rethrown.
 */
export function rethrowConstraint(error: unknown, byConstraint: Record<string, FieldIssue>): never {
  const code = (error as { code?: string })?.code ?? '';
  const message = (error as Error)?.message ?? '';
  if (code.startsWith('SQLITE_CONSTRAINT')) {
    for (const [needle, issue] of Object.entries(byConstraint)) {
      if (message.includes(needle)) throw new Conflict([issue]);
    }
    if (code === 'SQLITE_CONSTRAINT_FOREIGNKEY') {
      throw new InvalidInput([{ path: [], message: 'it refers to something that no longer exists' }]);
    }
  }
  throw error;
}

export function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}

/** "a, b and c" */
export function listInWords(parts: string[]): string {
  if (parts.length <= 1) return parts.join('');
  return `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}`;
}

/** A DeleteImpact consequence with its counted phrase; `many` when the plural is not just +s. */
export function consequence(what: string, count: number, many?: string): { what: string; count: number; text: string } {
  return { what, count, text: plural(count, what, many) };
}
