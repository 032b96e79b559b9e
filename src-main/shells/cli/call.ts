/** How every command that works on the inventory calls the API: through `dispatch`, as every transport does. */
import { dispatch } from '../../api/dispatch';
import type { MethodName } from '../../api/method-names';
import type { Results, Args } from '../../api/contract';
import type { OpenLab } from '../common/open-lab';

/** A command could not do what it was asked: one line on stderr, exit code 1. */
export class CommandFailed extends Error {}

/** Calls one API method the way every transport does, and turns a failure into one clear line. */
export async function call<M extends MethodName>(lab: OpenLab, method: M, ...args: Args<M>): Promise<Results[M]> {
  const envelope = await dispatch(lab.handlers, method, args);
  if (!envelope.ok) throw new CommandFailed(envelope.error.message);
  return envelope.result as Results[M];
}
