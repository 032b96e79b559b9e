/**
 * XML-RPC, which every xapi speaks (reference §1.2): POST to `/`, the answer a struct
 * `{Status: 'Success', Value}` or `{Status: 'Failure', ErrorDescription: [code, ...params]}`, never a <fault>.
 * The body is decoded while it streams in.
 */
import { XapiError, XapiTransportError, describeParam } from '../errors';
import { createResponseDecoder, type DecodeLimits } from '../xml-decode';
import { encodeMethodCall, type XapiValue } from '../xml-value';
import type { CallOptions, HttpClient, Transport } from './http';

export class XmlRpcTransport implements Transport {
  readonly name = 'xml-rpc' as const;

  constructor(
    private readonly http: HttpClient,
    private readonly limits: Partial<DecodeLimits> = {},
  ) {}

  async call(method: string, params: XapiValue[], options: CallOptions = {}): Promise<unknown> {
    const decoder = createResponseDecoder(this.limits);
    await this.http.post('/', encodeMethodCall(method, params), 'text/xml', { ...options, sink: decoder });
    return unwrapXmlRpcResult(decoder.close());
  }
}

/** The Value of a Success, or the server's error as a XapiError. */
export function unwrapXmlRpcResult(response: unknown): unknown {
  if (typeof response !== 'object' || response === null || Array.isArray(response) || !Object.hasOwn(response, 'Status')) {
    throw new XapiTransportError('malformed', 'malformed XML-RPC response: the answer is not a {Status, …} struct');
  }
  const answer = response as Record<string, unknown>;
  if (answer['Status'] === 'Success') {
    if (!Object.hasOwn(answer, 'Value')) throw new XapiTransportError('malformed', 'malformed XML-RPC response: Success without a Value');
    return answer['Value'];
  }
  if (answer['Status'] === 'Failure') {
    const description = answer['ErrorDescription'];
    if (!Array.isArray(description) || description.length === 0) {
      throw new XapiTransportError('malformed', 'malformed XML-RPC response: Failure without an ErrorDescription');
    }
    const [code, ...params] = description.map(describeParam);
    throw new XapiError(code!, params);
  }
  throw new XapiTransportError('malformed', `malformed XML-RPC response: Status is ${JSON.stringify(answer['Status'])?.slice(0, 40)}`);
}
