/**
 * A finding: one thing wrong with the lab, in the owner's words, with the evidence it rests on. Its id is
 * stable (`rule:device:subject`), so an acceptance, an alert or a script can hold on to it across polls and
 * restarts; the same fault always gives the same id.
 */
export const SEVERITIES = ['error', 'warning', 'info'] as const;
/**
 * error: redundancy lost, or a misconfiguration that breaks traffic now. warning: a single point of failure,
 * or a mismatch that will bite. info: worth knowing.
 */
export type Severity = (typeof SEVERITIES)[number];

export const severityRank = (s: Severity) => SEVERITIES.indexOf(s);

export interface Finding {
  id: string;
  rule: string;
  severity: Severity;
  /** Devices it concerns, by inventory name (hosts by their XenAPI name when not in the inventory). */
  devices: string[];
  /** Ports it concerns, `device:port`. */
  ports: string[];
  /** One line. */
  title: string;
  /** What is wrong, why it matters, what would fix it. */
  explanation: string;
  /** Which table or field said so. */
  evidence: string[];
  /** The owner accepted it (it stays listed, greyed). */
  accepted: boolean;
  /** The owner's note when accepting. */
  acceptedNote?: string;
  acceptedAt?: string;
  /** When the app first saw it open (kept across restarts by the layer that runs the audit). */
  firstSeen?: string;
}

/** What a rule returns; the audit adds the rule, the id prefix and the acceptance. */
export interface RawFinding {
  /** The id after the rule: `device:subject` (e.g. "xen2:bond0"). */
  subject: string;
  severity: Severity;
  devices: string[];
  ports: string[];
  title: string;
  explanation: string;
  evidence: string[];
}

export interface Acceptance {
  id: string;
  note: string;
  at: string;
}
