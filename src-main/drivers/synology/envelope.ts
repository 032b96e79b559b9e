/**
 * DSM's answer envelope (san.md §3.1): every API answers HTTP 200 with `{success: true, data}` or
 * `{success: false, error: {code}}`. Anything else is a malformed answer. Parsing errors never quote the
 * text: an answer to a login may echo the request, and JSON.parse's own message quotes the input.
 */
import { DsmError, DsmTransportError } from './errors';

/** One entry of SYNO.API.Info: where an API lives and which versions it speaks. */
export interface DsmApiInfo {
  /** The CGI under /webapi/, usually "entry.cgi". */
  path: string;
  minVersion: number;
  maxVersion: number;
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

function malformed(api: string, method: string, why: string): DsmTransportError {
  return new DsmTransportError('malformed', `malformed answer to ${api} ${method}: ${why}`);
}

/** The `data` of a successful answer; DsmError for a refusal; DsmTransportError('malformed') otherwise. */
export function parseAnswer(text: string, api: string, method: string): unknown {
  let parsed: Json;
  try {
    parsed = JSON.parse(text) as Json;
  } catch {
    throw malformed(api, method, `not JSON (${text.length} characters)`);
  }
  if (!isRecord(parsed)) throw malformed(api, method, 'not a JSON object');
  if (parsed.success === true) return parsed.data;
  if (parsed.success !== false) throw malformed(api, method, 'no "success" flag');
  const error = parsed.error;
  const code = isRecord(error) ? error.code : undefined;
  if (typeof code !== 'number' || !Number.isSafeInteger(code)) throw malformed(api, method, 'a failure without an error code');
  throw new DsmError(api, method, code);
}

/** A CGI name as DSM gives them ("entry.cgi", "auth.cgi", "SurveillanceStation/camera.cgi"); nothing that climbs out of /webapi/. */
const SAFE_PATH = /^[A-Za-z0-9_][A-Za-z0-9_.\-/]{0,199}$/;

/** SYNO.API.Info's `data` → the APIs by name. Entries that make no sense are left out, not guessed at. */
export function parseApiInfo(data: unknown): Map<string, DsmApiInfo> {
  if (!isRecord(data)) throw malformed('SYNO.API.Info', 'query', 'no API list');
  const apis = new Map<string, DsmApiInfo>();
  for (const [name, entry] of Object.entries(data)) {
    if (!isRecord(entry)) continue;
    const { path, minVersion, maxVersion } = entry;
    if (typeof path !== 'string' || !SAFE_PATH.test(path) || path.split('/').includes('..')) continue;
    const min = asVersion(minVersion);
    const max = asVersion(maxVersion);
    if (min === null || max === null || min > max) continue;
    apis.set(name, { path, minVersion: min, maxVersion: max });
  }
  if (!apis.has('SYNO.API.Auth')) throw malformed('SYNO.API.Info', 'query', 'SYNO.API.Auth is not listed');
  return apis;
}

function asVersion(value: unknown): number | null {
  const number = typeof value === 'string' && /^\d{1,6}$/.test(value) ? Number(value) : value;
  return typeof number === 'number' && Number.isSafeInteger(number) && number >= 0 && number < 1_000_000 ? number : null;
}
