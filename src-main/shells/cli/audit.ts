/**
 * `labwarden audit [--poll] [--json] [--timeout S] [--data-dir DIR] [--fail-on warning|error]` and
 * `labwarden audit --demo [--json]`: the lab checked against "no single point of failure". The JSON document is
 * `lab.audit`'s result, a stable contract (README, "labwarden audit"): fields are added, never renamed.
 * Exit 0 when it answered, 1 when it could not, 2 for a usage mistake, 3 with --fail-on when an open finding of
 * that severity or worse exists.
 */
import { parseArgs, UsageError } from './args';
import { call } from './call';
import { SESSION_FLAGS, SESSION_VALUED, withAnsweringLab } from './lab-session';
import { severityRank, type Finding, type Severity } from '../../domain/audit/finding';
import type { AuditDocument, LabOverview } from '../../api/contract';
import type { CliIo, CliResult } from './commands';

/** The exit code when --fail-on finds what it looks for. */
export const EXIT_FINDINGS = 3;

const FAIL_ON: readonly Severity[] = ['warning', 'error'];

export async function auditCommand(argv: string[], io: CliIo): Promise<CliResult> {
  const { positionals, options } = parseArgs(argv, [...SESSION_VALUED, 'fail-on'], [...SESSION_FLAGS, 'json']);
  if (positionals.length) throw new UsageError(`audit takes no argument "${positionals[0]}"`);
  const failOnText = options.get('fail-on');
  if (failOnText !== undefined && !FAIL_ON.includes(failOnText as Severity)) {
    throw new UsageError(`--fail-on takes warning or error, not "${String(failOnText)}"`);
  }
  const failOn = failOnText as Severity | undefined;
  const json = options.has('json');
  const { document, overview } = await withAnsweringLab(options, io, async (lab) => ({
    document: await call(lab, 'lab.audit'),
    // The person reading the summary is told which devices it could not speak for.
    overview: json ? null : await call(lab, 'lab.overview'),
  }));
  io.out(json ? `${JSON.stringify(document, null, 2)}\n` : auditText(document, io.color === true, overview));
  if (failOn) {
    const failing = document.findings.filter((f) => !f.accepted && severityRank(f.severity) <= severityRank(failOn));
    if (failing.length) {
      io.err(`labwarden: ${failing.length} open finding${failing.length === 1 ? '' : 's'} of severity ${failOn}${failOn === 'error' ? '' : ' or worse'} (--fail-on ${failOn})\n`);
      return { code: EXIT_FINDINGS };
    }
  }
  return { code: 0 };
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** Open findings by severity, one line each (severity, id, title); accepted ones after, greyed; the counts. */
export function auditText(document: AuditDocument, color: boolean, overview: LabOverview | null = null): string {
  const open = document.findings.filter((f) => !f.accepted);
  const accepted = document.findings.filter((f) => f.accepted);
  const bySeverity = (a: Finding, b: Finding) => severityRank(a.severity) - severityRank(b.severity);
  const width = Math.min(60, Math.max(0, ...document.findings.map((f) => f.id.length)));
  const line = (f: Finding) => `  ${f.severity.padEnd(7)}  ${f.id.padEnd(width)}  ${f.title}`;
  const grey = (text: string) => (color ? `\u001b[2m${text}\u001b[22m` : text);
  const lines: string[] = [];
  if (open.length) {
    lines.push('Open findings:');
    for (const finding of [...open].sort(bySeverity)) lines.push(line(finding));
  } else {
    lines.push('No open findings.');
  }
  if (accepted.length) {
    lines.push('Accepted:');
    for (const finding of [...accepted].sort(bySeverity)) lines.push(grey(`${line(finding)}  (accepted: ${finding.acceptedNote || 'no note'})`));
  }
  const s = document.summary;
  lines.push(
    `${plural(s.devices, 'device')}, ${plural(s.ports, 'port')}, ${plural(s.links, 'link')}: ` +
      `${plural(s.errors, 'error')}, ${plural(s.warnings, 'warning')}, ${s.info} info open; ${s.accepted} accepted.`,
  );
  if (s.devices === 0) lines.push('The inventory is empty: import one (labwarden import FILE), or try labwarden audit --demo.');
  const devices = (overview?.devices ?? []).filter((d) => d.kind !== 'xen-pool');
  const notPolled = devices.filter((d) => d.health === 'not-polled').map((d) => d.name);
  const unreachable = devices.filter((d) => d.health === 'unreachable').map((d) => d.name);
  if (notPolled.length) {
    lines.push(`Never polled: ${notPolled.join(', ')}; what they would show is missing here (--poll polls them; labwarden secret set stores what they need).`);
  }
  if (unreachable.length) lines.push(`Not answering when last polled: ${unreachable.join(', ')}.`);
  return `${lines.join('\n')}\n`;
}
