/**
 * Error kinds shared by every layer. They carry field paths so the UI can put a message under the right
 * field and an import can name the line; the API turns them into its wire error shape.
 */

/** One problem with one field. `path` is the field's location, e.g. ['ports', 2, 'name']. */
export interface FieldIssue {
  path: (string | number)[];
  message: string;
}

export class InvalidInput extends Error {
  readonly issues: FieldIssue[];
  constructor(issues: FieldIssue[], summary?: string) {
    super(summary ?? describeIssues(issues));
    this.name = 'InvalidInput';
    this.issues = issues;
  }
  static field(path: (string | number)[], message: string): InvalidInput {
    return new InvalidInput([{ path, message }]);
  }
}

export class NotFound extends Error {
  constructor(what: string) {
    super(`${what} does not exist (it may have been deleted in another window)`);
    this.name = 'NotFound';
  }

  /** A not-found whose sentence is already whole (what is missing, and where to look), said as it is. */
  static saying(sentence: string): NotFound {
    const error = new NotFound('');
    error.message = sentence;
    return error;
  }
}

/** A change that would break a rule of the inventory as a whole (a port already cabled, …). */
export class Conflict extends Error {
  readonly issues: FieldIssue[];
  constructor(issues: FieldIssue[]) {
    super(describeIssues(issues));
    this.name = 'Conflict';
    this.issues = issues;
  }
}

export function formatPath(path: readonly (string | number)[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out ? `.${part}` : part;
  }
  return out;
}

export function describeIssues(issues: readonly FieldIssue[]): string {
  if (issues.length === 0) return 'invalid input';
  return issues
    .map((issue) => (issue.path.length ? `${formatPath(issue.path)}: ${issue.message}` : issue.message))
    .join('; ');
}
