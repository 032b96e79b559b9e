/** Words and numbers for the SNMP pages: rates, VLAN ranges, uptime, port and LACP states. */
import type { LacpState, LagMember, PortView } from '../../../src-main/domain/model/switches';
import type { PollState, PollStatus } from '../../../src-main/domain/model/polling';
import { STATE_TONE, type Tone } from '../../lib/format';

/** The polling states in an SNMP agent's terms (the pool pages' hints speak of pools). */
const SNMP_HINTS: Record<PollState, string> = {
  ok: 'Polling the device over SNMP',
  connecting: 'Asking the device for the first time',
  slow: 'The agent answers, but a full poll takes longer than the poll interval',
  idle: 'Not polled: no community, or no v3 user and keys',
  unreachable: 'The agent does not answer (address, port, firewall, or a wrong community: SNMP v1/v2c stays silent then)',
  'auth-failed': 'The agent refused the v3 user or keys',
  'certificate-unknown': '',
  'certificate-changed': '',
  'not-master': '',
  error: 'The agent answered with an error',
};

export function snmpStateLook(state: PollState): { tone: Tone; hint: string } {
  return { tone: STATE_TONE[state] ?? 'muted', hint: SNMP_HINTS[state] ?? '' };
}

/**
 * Since when the data shown is stale at `now`, or null: what the collector said (staleSince), or, with the
 * screen's ticking clock, once `now` passes the status's staleAt (a poller that stopped sends no new status).
 */
export function staleSince(status: Pick<PollStatus, 'lastGoodAt' | 'staleSince' | 'staleAt'>, now: number): string | null {
  if (status.staleSince) return status.staleSince;
  if (status.staleAt && status.lastGoodAt && now > Date.parse(status.staleAt)) return status.lastGoodAt;
  return null;
}

/** "12.3 Mb/s", "950 kb/s", "0 b/s"; "—" when not known (first poll, counter reset, no counters). */
export function rateText(bps: number | null): string {
  if (bps === null || !Number.isFinite(bps)) return '—';
  const units: [string, number][] = [
    ['Tb/s', 1e12],
    ['Gb/s', 1e9],
    ['Mb/s', 1e6],
    ['kb/s', 1e3],
  ];
  for (const [unit, factor] of units) {
    if (bps >= factor) {
      const value = bps / factor;
      return `${value < 100 ? value.toFixed(1) : Math.round(value)} ${unit}`;
    }
  }
  return `${Math.round(bps)} b/s`;
}

/** [10, 20, 21, 22, 23] → "10,20-23": runs of three or more as a range, like a switch's own CLI. */
export function vlanRanges(ids: readonly number[]): string {
  const sorted = [...new Set(ids)].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j]! + 1) j++;
    if (j - i >= 2) parts.push(`${sorted[i]}-${sorted[j]}`);
    else for (let k = i; k <= j; k++) parts.push(String(sorted[k]));
    i = j + 1;
  }
  return parts.join(',');
}

/** sysUpTime (hundredths of a second) as "41 d 3 h", "5 h 12 min", "7 min", "30 s". */
export function uptimeText(ticks: number | null): string {
  if (ticks === null || ticks < 0) return '—';
  const seconds = Math.floor(ticks / 100);
  const days = Math.floor(seconds / 86_400);
  const hours = Math.floor((seconds % 86_400) / 3600);
  const minutes = Math.floor((seconds % 3600) / 60);
  if (days > 0) return `${days} d ${hours} h`;
  if (hours > 0) return `${hours} h ${minutes} min`;
  if (minutes > 0) return `${minutes} min`;
  return `${seconds} s`;
}

/** The first line of sysDescr (the rest is often a copyright block). */
export function firstLine(text: string): string {
  return text.split(/\r?\n/, 1)[0]!.trim();
}

/** Ethernet (6) and LAG (161) ports are the physical view; the rest are VLAN interfaces, loopbacks, tunnels… */
/** IANA ifTypes of Ethernet-like ports (ethernetCsmacd, iso88023Csmacd, fastEther, fastEtherFX, gigabitEthernet) and LAGs (ieee8023adLag). */
const PHYSICAL_TYPES = new Set([6, 7, 62, 69, 117, 161]);

/** A VLAN interface, loopback, tunnel, CPU port…: neither Ethernet-like nor a LAG. */
export function isVirtual(port: Pick<PortView, 'type'>): boolean {
  return !PHYSICAL_TYPES.has(port.type);
}

export type PortState = 'up' | 'down' | 'admin-down';

export function portState(port: Pick<PortView, 'adminUp' | 'operUp'>): PortState {
  if (!port.adminUp) return 'admin-down';
  return port.operUp ? 'up' : 'down';
}

/** The LACP state bits in their standard order, with a short label for the flag and the full name for its tooltip. */
export const LACP_BITS: { key: keyof LacpState; short: string; name: string; on: string; off: string }[] = [
  { key: 'activity', short: 'Act', name: 'activity', on: 'active LACP', off: 'passive LACP' },
  { key: 'timeout', short: 'Tmo', name: 'timeout', on: 'short timeout (1 s)', off: 'long timeout (30 s)' },
  { key: 'aggregation', short: 'Agg', name: 'aggregation', on: 'aggregatable', off: 'individual link' },
  { key: 'synchronization', short: 'Syn', name: 'synchronization', on: 'in sync', off: 'not in sync' },
  { key: 'collecting', short: 'Col', name: 'collecting', on: 'collecting', off: 'not collecting' },
  { key: 'distributing', short: 'Dis', name: 'distributing', on: 'distributing', off: 'not distributing' },
  { key: 'defaulted', short: 'Def', name: 'defaulted', on: 'defaulted: no LACPDUs from the partner', off: 'partner information received' },
  { key: 'expired', short: 'Exp', name: 'expired', on: 'expired: the partner fell silent', off: 'not expired' },
];

/** A bit that is alarming in this state: defaulted or expired set, or sync/collecting/distributing clear. */
export function bitIsBad(key: keyof LacpState, on: boolean): boolean {
  if (key === 'defaulted' || key === 'expired') return on;
  if (key === 'synchronization' || key === 'collecting' || key === 'distributing') return !on;
  return false;
}

/**
 * One LAG member's state in a few words, and whether it is a problem: a member that does not carry traffic
 * (not collecting and distributing), runs on defaulted or expired partner information, or is not attached.
 */
export function memberSummary(member: LagMember | null): { text: string; tone: Tone } {
  if (!member || !member.actor) {
    if (member?.attached === false) return { text: 'not attached', tone: 'bad' };
    return { text: 'no LACP state reported', tone: 'muted' };
  }
  const actor = member.actor;
  const problems: string[] = [];
  if (actor.expired) problems.push('expired');
  if (actor.defaulted) problems.push('defaulted');
  if (!actor.synchronization) problems.push('not in sync');
  if (!actor.collecting || !actor.distributing) {
    const missing = [!actor.collecting && 'collecting', !actor.distributing && 'distributing'].filter(Boolean).join('/');
    problems.push(`not ${missing}`);
  }
  if (member.attached === false) problems.push('not attached');
  if (problems.length) return { text: problems.join(', '), tone: 'bad' };
  const partner = member.partner;
  if (partner && (!partner.collecting || !partner.distributing)) return { text: 'collecting/distributing; partner not', tone: 'warn' };
  return { text: 'collecting/distributing', tone: 'ok' };
}

export function memberIsBad(member: LagMember | null, port: Pick<PortView, 'operUp'> | undefined): boolean {
  return memberSummary(member).tone === 'bad' || port?.operUp === false;
}

/** A status string a Synology MIB reports ("Normal", "Degrade", "Crashed", "Failing", …) judged. */
export function healthTone(status: string): Tone {
  const s = status.toLowerCase();
  if (!s || s === 'unknown') return 'muted';
  if (/degrad|crash|fail|critical|broken|abnormal/.test(s)) return 'bad';
  if (/warn|repair|sync|rebuild|migrat|expand|check|assembl|creat|delet|cancel/.test(s)) return 'warn';
  return 'ok';
}
