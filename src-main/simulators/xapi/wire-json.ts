/**
 * JSON-RPC as xapi speaks it on /jsonrpc (xen-api api_server.ml jsoncallback, ocaml-rpc Jsonrpc):
 * v1.0 `{"result": X | null, "error": null | ["CODE", …], "id"}` and v2.0 `{"jsonrpc": "2.0",
 * "result": X, "id"}` or `{"jsonrpc": "2.0", "error": {"code": 1, "message": "CODE", "data": […]}, "id"}`.
 * Ints are JSON numbers (written from their exact decimal text), datetimes strings.
 *
 * Requests must carry an id (notifications are refused, as by xapi) and are converted with a depth bound,
 * so a deeply nested body gets a clear error rather than a stack overflow.
 */
import {
  WireDateTime,
  WireDouble,
  WireInt,
  WireInt32,
  type CallResult,
  type WireCall,
  type WireStruct,
  type WireValue,
} from './wire-value';

export const JSONRPC_MAX_DEPTH = 64;

export class JsonRpcParseError extends Error {
  override readonly name = 'JsonRpcParseError';
}

export interface JsonRpcCall extends WireCall {
  version: 1 | 2;
  /** The request's id, re-encoded as JSON text to echo it exactly. */
  idJson: string;
}

function toWire(value: unknown, depth: number): WireValue {
  if (depth > JSONRPC_MAX_DEPTH) throw new JsonRpcParseError(`parameters nested deeper than ${JSONRPC_MAX_DEPTH} levels`);
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') return Number.isInteger(value) ? new WireInt(BigInt(value).toString()) : new WireDouble(value);
  if (Array.isArray(value)) return value.map((item) => toWire(item, depth + 1));
  const struct: WireStruct = new Map();
  for (const [key, item] of Object.entries(value as Record<string, unknown>)) struct.set(key, toWire(item, depth + 1));
  return struct;
}

export function parseJsonRpcCall(body: string): JsonRpcCall {
  let request: unknown;
  try {
    request = JSON.parse(body);
  } catch (error) {
    throw new JsonRpcParseError(`not JSON: ${(error as Error).message}`);
  }
  if (request === null || typeof request !== 'object' || Array.isArray(request)) {
    throw new JsonRpcParseError('the request is not a JSON object (batches are not supported)');
  }
  const { jsonrpc, method, params, id } = request as Record<string, unknown>;
  if (typeof method !== 'string') throw new JsonRpcParseError('the request has no method name');
  if (id === undefined || id === null) throw new JsonRpcParseError('notifications (requests without an id) are not supported');
  if (typeof id !== 'number' && typeof id !== 'string') throw new JsonRpcParseError('the id must be a number or a string');
  if (params !== undefined && !Array.isArray(params)) throw new JsonRpcParseError('params must be an array');
  return {
    version: jsonrpc === '2.0' ? 2 : 1,
    idJson: JSON.stringify(id),
    method,
    params: ((params as unknown[] | undefined) ?? []).map((param) => toWire(param, 1)),
  };
}

export function encodeJsonValue(value: WireValue, out: string[]): void {
  if (value === null) out.push('null');
  else if (typeof value === 'string') out.push(JSON.stringify(value));
  else if (typeof value === 'boolean') out.push(value ? 'true' : 'false');
  else if (value instanceof WireInt) out.push(value.decimal);
  else if (value instanceof WireInt32) out.push(String(value.value));
  else if (value instanceof WireDouble) out.push(Number.isFinite(value.value) ? String(value.value) : 'null');
  else if (value instanceof WireDateTime) out.push(JSON.stringify(value.iso));
  else if (Array.isArray(value)) {
    out.push('[');
    value.forEach((item, index) => {
      if (index > 0) out.push(',');
      encodeJsonValue(item, out);
    });
    out.push(']');
  } else {
    out.push('{');
    let first = true;
    for (const [key, member] of value) {
      if (!first) out.push(',');
      first = false;
      out.push(JSON.stringify(key), ':');
      encodeJsonValue(member, out);
    }
    out.push('}');
  }
}

export function encodeJsonRpcResponse(call: Pick<JsonRpcCall, 'version' | 'idJson'>, result: CallResult): string {
  const out: string[] = [];
  if (call.version === 2) {
    out.push('{"jsonrpc":"2.0",');
    if (result.ok) {
      out.push('"result":');
      encodeJsonValue(result.value, out);
    } else {
      const [code = '', ...data] = result.error;
      out.push('"error":{"code":1,"message":', JSON.stringify(code), ',"data":', JSON.stringify(data), '}');
    }
  } else {
    out.push('{"result":');
    if (result.ok) encodeJsonValue(result.value, out);
    else out.push('null');
    out.push(',"error":', result.ok ? 'null' : JSON.stringify(result.error));
  }
  out.push(',"id":', call.idJson, '}');
  return out.join('');
}
