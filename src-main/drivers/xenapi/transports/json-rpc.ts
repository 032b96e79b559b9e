/**
 * JSON-RPC (reference §1.3): POST to `/jsonrpc`, JSON-RPC 2.0 with numeric ids (string ids gave HTTP 500 on early
 * hosts). Both error shapes are accepted: v2 `{code, message: CODE, data: [params]}` and v1 `["CODE", ...params]`,
 * as is a v1 success `{result, error: null}`. A host without JSON-RPC answers with another content type; that is
 * an UnsupportedTransport, on which the auto transport falls back to XML-RPC.
 */
import { XapiError, XapiTransportError, describeParam } from '../errors';
import { XapiDouble, type XapiValue } from '../xml-value';
import type { CallOptions, HttpClient, ResponseHead, Transport } from './http';

/** The host does not answer JSON-RPC at /jsonrpc. Internal to the transports; a XapiTransportError for anyone else. */
export class UnsupportedTransport extends XapiTransportError {
  constructor(endpoint: string, head: ResponseHead) {
    const message = `${endpoint} does not answer JSON-RPC at /jsonrpc (HTTP ${head.status}, content-type ${head.contentType || 'none'})`;
    super(head.status === 200 ? 'malformed' : 'http', message, head.status === 200 ? {} : { httpStatus: head.status });
    this.name = 'UnsupportedTransport';
  }
}

function mediaType(contentType: string): string {
  return contentType.split(';')[0]!.trim().toLowerCase();
}

export class JsonRpcTransport implements Transport {
  readonly name = 'json-rpc' as const;
  private nextId = 1;

  constructor(private readonly http: HttpClient) {}

  async call(method: string, params: XapiValue[], options: CallOptions = {}): Promise<unknown> {
    const id = this.nextId++;
    const body = JSON.stringify({ jsonrpc: '2.0', method, params, id }, (_key, value: unknown) =>
      value instanceof XapiDouble ? value.value : value,
    );
    // Held whole because JSON.parse needs it whole; the HTTP cap bounds it.
    const text = await this.http.postForText('/jsonrpc', body, 'application/json', {
      ...options,
      onHead: (head) => {
        if (mediaType(head.contentType) !== 'application/json') throw new UnsupportedTransport(this.http.endpoint, head);
      },
    });
    return unwrapJsonRpcResponse(text);
  }
}

export function unwrapJsonRpcResponse(text: string): unknown {
  let response: unknown;
  try {
    response = JSON.parse(text);
  } catch (error) {
    throw new XapiTransportError('malformed', `malformed JSON-RPC response: ${(error as Error).message}`);
  }
  if (typeof response !== 'object' || response === null || Array.isArray(response)) {
    throw new XapiTransportError('malformed', 'malformed JSON-RPC response: not an object');
  }
  const answer = response as Record<string, unknown>;
  const error = answer['error'];
  // Checked before `result`: early hosts sent `result` on errors too.
  if (error !== undefined && error !== null) {
    if (Array.isArray(error) && error.length > 0) {
      const [code, ...params] = error.map(describeParam);
      throw new XapiError(code!, params);
    }
    if (typeof error === 'object' && !Array.isArray(error) && typeof (error as Record<string, unknown>)['message'] === 'string') {
      const { message, data } = error as { message: string; data?: unknown };
      throw new XapiError(message, Array.isArray(data) ? data.map(describeParam) : data === undefined || data === null ? [] : [describeParam(data)]);
    }
    throw new XapiTransportError('malformed', `malformed JSON-RPC response: an error of unknown shape ${JSON.stringify(error).slice(0, 80)}`);
  }
  if (!Object.hasOwn(answer, 'result')) throw new XapiTransportError('malformed', 'malformed JSON-RPC response: neither result nor error');
  return answer['result'];
}
