import { contract, type Envelope, type Handlers, type ApiErrorBody } from './contract';
import type { MethodName } from './method-names';
import { fieldIssues } from './issues';
import { InvalidInput, NotFound, Conflict, describeIssues } from '../domain/errors';

export interface DispatchLog {
  error(message: string, error: unknown): void;
}

const isMethod = (name: unknown): name is MethodName =>
  typeof name === 'string' && Object.prototype.hasOwnProperty.call(contract, name);

/**
 * The single entry to the API for every transport. Rejects unknown methods (own properties only, so
 * "constructor" and "__proto__" are unknown) and arguments that fail the method's validator, then maps
 * domain errors to codes. Never throws: every outcome is an Envelope.
 * The log receives unexpected errors only, never arguments (they may hold credentials).
 */
export async function dispatch(handlers: Handlers, method: unknown, args: unknown, log?: DispatchLog): Promise<Envelope> {
  if (!isMethod(method)) {
    const shown = typeof method === 'string' ? `"${method.slice(0, 80)}"` : typeof method;
    return fail({ code: 'unknown-method', message: `unknown method ${shown}` });
  }
  if (!Array.isArray(args)) {
    return fail({ code: 'bad-arguments', message: `${method} takes a list of arguments` });
  }
  const parsed = contract[method].safeParse(args);
  if (!parsed.success) {
    const issues = fieldIssues(parsed.error, args).map(({ path, message }) => {
      const [arg, ...rest] = path;
      return typeof arg === 'number' ? { arg, path: rest, message } : { path, message };
    });
    const count = contract[method].def.items.length;
    const arity = issues.find((i) => i.arg === undefined && i.path.length === 0);
    return fail({
      code: 'bad-arguments',
      message: arity
        ? `${method} takes ${count} argument${count === 1 ? '' : 's'}`
        : `${method}: ${describeIssues(issues)}`,
      issues,
    });
  }
  try {
    const handler = handlers[method] as (...a: unknown[]) => unknown;
    const result = await handler(...(parsed.data as unknown[]));
    return { ok: true, result: result === undefined ? null : result };
  } catch (error) {
    if (error instanceof InvalidInput) return fail({ code: 'invalid', message: error.message, issues: error.issues });
    if (error instanceof Conflict) return fail({ code: 'conflict', message: error.message, issues: error.issues });
    if (error instanceof NotFound) return fail({ code: 'not-found', message: error.message });
    log?.error(`${method} failed`, error);
    return fail({ code: 'internal', message: `${method} failed: ${(error as Error)?.message ?? String(error)}` });
  }
}

function fail(error: ApiErrorBody): Envelope {
  return { ok: false, error };
}
