/**
 * One full poll of a switch or NAS: walk every subtree the decoders read (WALK_ROOTS), then decode the walk
 * into a SwitchObservation. Subtrees that could not be read are the observation's gaps; only a device that
 * failed as a whole (silent, refusing our credentials) makes the poll throw an SnmpFailure.
 */
import type { SwitchObservation } from '../../domain/model/switches';
import { decodeObservation } from './decode/observation';
import { WALK_ROOTS } from './oids';
import type { SnmpTarget } from './session';
import { walkSubtrees, type WalkOptions } from './walker';

export interface PollStats {
  varbinds: number;
  requests: number;
  wallMs: number;
}

export async function pollSwitch(target: SnmpTarget, options: WalkOptions = {}): Promise<{ observation: SwitchObservation; stats: PollStats }> {
  const started = performance.now();
  const { walk, gaps, varbinds, requests } = await walkSubtrees(target, WALK_ROOTS, options);
  const observation = decodeObservation(walk, new Date().toISOString());
  if (gaps.length > 0) observation.gaps = [...gaps, ...observation.gaps];
  return { observation, stats: { varbinds, requests, wallMs: performance.now() - started } };
}
