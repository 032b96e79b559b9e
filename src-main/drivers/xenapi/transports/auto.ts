/**
 * Which wire protocol a session speaks, chosen by the master's API version (reference §1.3): XML-RPC, which
 * every xapi speaks, is the default; JSON-RPC only from API 2.8 (XenServer 7.3, the first with spec-compliant
 * JSON-RPC v2, where XenCenter switches too) and only when /jsonrpc answers application/json.
 *
 * How: the login goes over XML-RPC. Then, with the session (valid on both protocols, §1 "Session Layer"),
 * `session.get_this_host` names the host the session is on, which after HOST_IS_SLAVE is the master, and
 * `host.get_API_version_major/minor` give its version: three small answers. From 2.8 on, one JSON-RPC call
 * probes /jsonrpc; a host that answers it with JSON, even with a XenAPI error, speaks JSON-RPC. So no JSON
 * ever goes to an older host: 6.2's /jsonrpc was not spec-compliant, and its 32-bit dom0 chokes on large
 * JSON strings (§1.3).
 */
import { XapiError, XapiTransportError } from '../errors';
import type { DecodeLimits } from '../xml-decode';
import type { XapiValue } from '../xml-value';
import type { CallOptions, HttpClient, Transport } from './http';
import { JsonRpcTransport } from './json-rpc';
import { XmlRpcTransport } from './xml-rpc';

export type TransportChoice = 'auto' | 'xml-rpc' | 'json-rpc';

/** host.API_version_major / minor of the master. */
export interface ApiVersion {
  major: number;
  minor: number;
}

/** The first API version whose JSON-RPC the auto transport uses (inverness, XenServer 7.3). */
export const JSON_RPC_FROM: ApiVersion = { major: 2, minor: 8 };

export const atLeast = (version: ApiVersion, floor: ApiVersion) =>
  version.major > floor.major || (version.major === floor.major && version.minor >= floor.minor);

export class AutoTransport implements Transport {
  private current: Transport;
  private readonly xmlRpc: XmlRpcTransport;
  private readonly jsonRpc: JsonRpcTransport;

  constructor(http: HttpClient, limits: Partial<DecodeLimits> = {}) {
    this.xmlRpc = new XmlRpcTransport(http, limits);
    this.jsonRpc = new JsonRpcTransport(http);
    this.current = this.xmlRpc;
  }

  /** 'xml-rpc' until `settle` has shown the master is 2.8 or later and answers JSON-RPC. */
  get name(): 'xml-rpc' | 'json-rpc' {
    return this.current.name;
  }

  call(method: string, params: XapiValue[], options: CallOptions = {}): Promise<unknown> {
    return this.current.call(method, params, options);
  }

  /**
   * Called once, right after the login: reads the master's API version and moves to JSON-RPC where it is
   * 2.8 or later and /jsonrpc answers JSON. Resolves with the version (null when the host would not say).
   * A failure of the connection itself is thrown, as any call's would be.
   */
  async settle(sessionRef: string, options: CallOptions = {}): Promise<ApiVersion | null> {
    const version = await readApiVersion(this.xmlRpc, sessionRef, options);
    if (version === null || !atLeast(version, JSON_RPC_FROM)) return version;
    try {
      await this.jsonRpc.call('session.get_this_host', [sessionRef, sessionRef], options);
      this.current = this.jsonRpc;
    } catch (error) {
      // A XenAPI error came back as JSON: the endpoint speaks JSON-RPC.
      if (error instanceof XapiError) this.current = this.jsonRpc;
      else if (!answeredBadly(error)) throw error;
      // Anything else from /jsonrpc (text/xml, an error page, bytes that are not JSON): stay on XML-RPC.
    }
    return version;
  }
}

/**
 * The host answered, but not usefully (an error page, a body that is not what was asked for): a protocol
 * question, which XML-RPC settles. A failure to connect or to get any answer at all is not.
 */
function answeredBadly(error: unknown): boolean {
  return error instanceof XapiTransportError && (error.kind === 'http' || error.kind === 'malformed' || error.kind === 'too-large');
}

/** A non-negative int as either protocol sends it (a decimal string on XML-RPC, a number on JSON-RPC). */
function versionPart(value: unknown): number | null {
  const n = typeof value === 'number' ? value : typeof value === 'string' && /^\d{1,6}$/.test(value.trim()) ? Number(value) : NaN;
  return Number.isSafeInteger(n) && n >= 0 ? n : null;
}

/** The master's API version over XML-RPC; null when the host refuses to say or says something unreadable. */
async function readApiVersion(rpc: Transport, sessionRef: string, options: CallOptions): Promise<ApiVersion | null> {
  try {
    const host = await rpc.call('session.get_this_host', [sessionRef, sessionRef], options);
    if (typeof host !== 'string' || !host.startsWith('OpaqueRef:') || host === 'OpaqueRef:NULL') return null;
    const [major, minor] = await Promise.all([
      rpc.call('host.get_API_version_major', [sessionRef, host], options),
      rpc.call('host.get_API_version_minor', [sessionRef, host], options),
    ]);
    const version = { major: versionPart(major), minor: versionPart(minor) };
    return version.major === null || version.minor === null ? null : { major: version.major, minor: version.minor };
  } catch (error) {
    // A host that cannot tell its version gets XML-RPC, which every version speaks.
    if (error instanceof XapiError || answeredBadly(error)) return null;
    throw error;
  }
}

export function createTransport(choice: TransportChoice, http: HttpClient, limits: Partial<DecodeLimits> = {}): Transport {
  switch (choice) {
    case 'xml-rpc':
      return new XmlRpcTransport(http, limits);
    case 'json-rpc':
      return new JsonRpcTransport(http);
    case 'auto':
      return new AutoTransport(http, limits);
  }
}
