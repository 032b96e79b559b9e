/**
 * The iSCSI discovery probe: connect to one portal, log in to a *discovery* session (never a normal one),
 * ask `SendTargets=All`, log out, close. It reports what a monitor needs to know about that portal: does it
 * answer iSCSI, which targets it lists, with which authentication, and how fast, or precisely why not.
 * Nothing here throws for a network or protocol problem; the result says `ok: false` with a ProbeError's kind.
 */
import { isIP } from 'node:net';
import { PduConnection } from './connection';
import { ProbeError, type ProbeFailureKind } from './errors/probe-error';
import { parseKeys, DEFAULT_KEY_LIMITS } from './keys';
import { login, type ChapCredentials, type LoginProgress } from './login';
import { parseSendTargets, ISCSI_PORT, type DiscoveredTarget } from './sendtargets';
import { MONITOR_INITIATOR_NAME } from '../../domain/model/san';
import { logout, sendTargets, type SessionNumbers, type TextProgress } from './session';

export type { ChapCredentials } from './login';
export type { ProbeFailureKind } from './errors/probe-error';
export type { DiscoveredTarget } from './sendtargets';

export interface ProbeOptions {
  host: string;
  /** Default 3260. */
  port?: number;
  /** Default 'iqn.2026-11.org.labwarden:monitor'. Targets with ACLs on discovery must allow it. */
  initiatorName?: string;
  chap?: ChapCredentials | null;
  /** Default 3000. */
  connectTimeoutMs?: number;
  /** Default 5000, for each PDU awaited. */
  responseTimeoutMs?: number;
  /** Guards a target that never ends its Text answer (default 256). */
  maxTextRounds?: number;
  /** Total key=value bytes accepted from SendTargets (default 1 MiB). */
  maxResponseBytes?: number;
  /** What the probe declares it can receive per PDU, 512 to 16777215 (default 65536, RFC 7143 §13.12). */
  maxRecvDataSegmentLength?: number;
  signal?: AbortSignal;
}

export interface ProbeResult {
  /** 'host:port', '[v6]:port'. */
  portal: string;
  ok: boolean;
  error: { kind: ProbeFailureKind; message: string; statusClass?: number; statusDetail?: number } | null;
  targets: DiscoveredTarget[];
  authMethod: 'None' | 'CHAP' | null;
  /**
   * connectMs: the TCP connect (null when none succeeded); totalMs: the whole probe; textResponses: how many
   * Text Response PDUs carried the SendTargets answer (0 when discovery did not get that far; a long answer
   * takes several, each at most the MaxRecvDataSegmentLength the probe declared).
   */
  timings: { connectMs: number | null; totalMs: number; textResponses: number };
}

export const DEFAULT_INITIATOR_NAME = MONITOR_INITIATOR_NAME;
export const DEFAULT_CONCURRENCY = 64;
const DEFAULTS = {
  connectTimeoutMs: 3_000,
  responseTimeoutMs: 5_000,
  maxTextRounds: 256,
  maxResponseBytes: 1024 * 1024,
  maxRecvDataSegmentLength: 65_536,
};
const LOGIN_DATA_SEGMENT_LIMIT = 8192;
/** The logout answer is a courtesy; waiting the full response timeout for it would only slow a sweep. */
const LOGOUT_WAIT_MS = 2_000;

/** '10.0.0.1:3260', '[fe80::1]:3260', 'san.lab:3260'. */
export function formatPortal(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

const stripBrackets = (host: string) => (host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host);
const HOST_NAME = /^(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\.?$/;

function positive(name: string, value: number | undefined, fallback: number, min = 1, max = 2 ** 31 - 1): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value < min || value > max) throw new RangeError(`${name} must be a number from ${min} to ${max}, not ${value}`);
  return Math.floor(value);
}

/**
 * Probes one portal. Invalid timeouts or limits are programming errors and reject; an unusable host or port
 * (user data) is a result with kind 'unreachable'.
 */
export async function probePortal(options: ProbeOptions): Promise<ProbeResult> {
  const started = performance.now();
  const host = stripBrackets(String(options.host ?? '').trim());
  const port = options.port ?? ISCSI_PORT;
  const portal = formatPortal(host, port);
  const settings = {
    connectTimeoutMs: positive('connectTimeoutMs', options.connectTimeoutMs, DEFAULTS.connectTimeoutMs),
    responseTimeoutMs: positive('responseTimeoutMs', options.responseTimeoutMs, DEFAULTS.responseTimeoutMs),
    maxTextRounds: positive('maxTextRounds', options.maxTextRounds, DEFAULTS.maxTextRounds),
    maxResponseBytes: positive('maxResponseBytes', options.maxResponseBytes, DEFAULTS.maxResponseBytes),
    maxRecvDataSegmentLength: positive('maxRecvDataSegmentLength', options.maxRecvDataSegmentLength, DEFAULTS.maxRecvDataSegmentLength, 512, 0xffffff),
  };
  const initiatorName = options.initiatorName ?? DEFAULT_INITIATOR_NAME;
  // RFC 7143 §4.2.7.1: at most 223 bytes; the app checks the iqn/eui/naa grammar where the user types it.
  if (initiatorName === '' || Buffer.byteLength(initiatorName) > 223 || /[\0-\x20=]/.test(initiatorName)) {
    throw new RangeError(`"${initiatorName.slice(0, 64)}" is not a usable iSCSI initiator name`);
  }
  const chap = options.chap ?? null;
  if (chap !== null && (!chap.user || !chap.secret || /\0/.test(chap.user + chap.secret + (chap.targetUser ?? '') + (chap.targetSecret ?? '')) || chap.targetSecret === '')) {
    throw new RangeError('CHAP credentials need a user and a secret, without NUL characters');
  }
  const progress: LoginProgress = { authMethod: null };
  const text: TextProgress = { textResponses: 0 };
  let connectMs: number | null = null;
  let hop = { host, port, label: portal };
  const result = (error: ProbeError | null, targets: DiscoveredTarget[] = []): ProbeResult => ({
    portal,
    ok: error === null,
    error:
      error === null
        ? null
        : {
            kind: error.kind,
            message: error.message,
            ...(error.statusClass === undefined ? {} : { statusClass: error.statusClass }),
            ...(error.statusDetail === undefined ? {} : { statusDetail: error.statusDetail }),
          },
    targets,
    authMethod: progress.authMethod,
    timings: { connectMs: connectMs === null ? null : round(connectMs), totalMs: round(performance.now() - started), textResponses: text.textResponses },
  });

  try {
    if (host === '' || (isIP(host) === 0 && !HOST_NAME.test(host))) throw new ProbeError('unreachable', `"${portal.slice(0, 80)}" is not a usable portal: bad host`);
    if (!Number.isInteger(port) || port < 1 || port > 65535) throw new ProbeError('unreachable', `"${portal.slice(0, 80)}" is not a usable portal: the port must be 1 to 65535`);
    if (chap?.targetSecret !== undefined && chap.targetSecret === chap.secret) {
      throw new ProbeError('auth-failed', `${portal}: mutual CHAP needs a different secret each way (RFC 7143 §12.1.3); the target secret equals the initiator secret`);
    }
    hop = { host, port, label: portal };
    for (let redirected = false; ; redirected = true) {
      const connection = await PduConnection.open({
        host: hop.host,
        port: hop.port,
        portal: hop.label,
        connectTimeoutMs: settings.connectTimeoutMs,
        // Until our declaration is answered, the target may use the 8192-byte default (RFC 7143 §13.12), and a
        // long CHAP_C during login needs that room even when a small value is declared.
        maxDataSegmentLength: Math.max(settings.maxRecvDataSegmentLength, LOGIN_DATA_SEGMENT_LIMIT),
        signal: options.signal,
      });
      connectMs = connection.connectMs;
      try {
        const outcome = await login(
          connection,
          {
            portal: hop.label,
            initiatorName,
            chap,
            maxRecvDataSegmentLength: settings.maxRecvDataSegmentLength,
            responseTimeoutMs: settings.responseTimeoutMs,
          },
          progress,
        );
        if (outcome.kind === 'redirect') {
          const to = formatPortal(outcome.address, outcome.port);
          // One hop only (RFC 7143 §11.13.5 "target moved"): a second redirect is a loop or a misconfiguration.
          if (redirected) throw new ProbeError('login-rejected', `${hop.label}: redirected again, to ${to}; the probe follows one redirect only`, { statusClass: 1 });
          hop = { host: outcome.address, port: outcome.port, label: `${portal} (moved ${outcome.permanent ? 'permanently' : 'temporarily'} to ${to})` };
          continue;
        }
        const numbers: SessionNumbers = { cmdSN: outcome.cmdSN, expStatSN: outcome.expStatSN };
        const limits = { portal: hop.label, responseTimeoutMs: settings.responseTimeoutMs, maxTextRounds: settings.maxTextRounds, maxResponseBytes: settings.maxResponseBytes };
        const answer = await sendTargets(connection, numbers, limits, text);
        const targets = parseSendTargets(parseKeys(answer, DEFAULT_KEY_LIMITS));
        await logout(connection, numbers, { ...limits, responseTimeoutMs: Math.min(settings.responseTimeoutMs, LOGOUT_WAIT_MS) });
        return result(null, targets);
      } finally {
        await connection.close();
      }
    }
  } catch (error) {
    if (error instanceof ProbeError) {
      // Parsers report what is wrong without knowing where; the message must still name the portal.
      if (error.message.startsWith(hop.label) || error.message.includes(portal)) return result(error);
      return result(new ProbeError(error.kind, `${hop.label}: ${error.message}`, { statusClass: error.statusClass, statusDetail: error.statusDetail }));
    }
    // A bug of ours, not the target's: still an answer for this portal, not a crash of the whole sweep.
    return result(new ProbeError('protocol', `${portal}: the probe failed unexpectedly: ${error instanceof Error ? error.message : String(error)}`));
  }
}

const round = (ms: number) => Math.round(ms * 10) / 10;

/** Probes every portal, at most `concurrency` at a time (default 64); the results are in input order. */
export async function probePortals(list: readonly ProbeOptions[], concurrency: number = DEFAULT_CONCURRENCY): Promise<ProbeResult[]> {
  const results: ProbeResult[] = new Array<ProbeResult>(list.length);
  const width = Math.max(1, Math.min(Math.floor(concurrency) || 1, list.length));
  let next = 0;
  const worker = async () => {
    while (next < list.length) {
      const index = next++;
      results[index] = await probePortal(list[index]!);
    }
  };
  await Promise.all(Array.from({ length: width }, worker));
  return results;
}
