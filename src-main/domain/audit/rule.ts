import type { RawFinding } from './finding';
import type { Lab } from './lab';

/** One question asked of the lab (Batfish's one-question-one-function shape): the graph in, findings out. */
export interface Rule {
  /** Stable once shipped: a rule may be added, never renamed. */
  id: string;
  /** What it finds, in one line. */
  finds: string;
  /** Where the rule comes from (vendor documentation, the anchors' own checks). */
  source: string;
  run(lab: Lab): RawFinding[];
}
