/**
 * Protocol detection as reference §1.3 recommends (and Xen Orchestra does): the first call, the login, goes over
 * JSON-RPC; if the host does not answer JSON-RPC, this client switches to XML-RPC for good. Any other outcome of
 * the first call (a result, or a XenAPI error such as a wrong password) settles on JSON-RPC.
 */
import { XapiError } from '../errors';
import type { DecodeLimits } from '../xml-decode';
import type { XapiValue } from '../xml-value';
import type { CallOptions, HttpClient, Transport } from './http';
import { JsonRpcTransport, UnsupportedTransport } from './json-rpc';
import { XmlRpcTransport } from './xml-rpc';

export type TransportChoice = 'auto' | 'xml-rpc' | 'json-rpc';

export class AutoTransport implements Transport {
  private current: Transport;
  private settled = false;
  private readonly xmlRpc: XmlRpcTransport;

  constructor(http: HttpClient, limits: Partial<DecodeLimits> = {}) {
    this.current = new JsonRpcTransport(http);
    this.xmlRpc = new XmlRpcTransport(http, limits);
  }

  /** 'json-rpc' until the first call shows otherwise. */
  get name(): 'xml-rpc' | 'json-rpc' {
    return this.current.name;
  }

  async call(method: string, params: XapiValue[], options: CallOptions = {}): Promise<unknown> {
    if (this.settled) return this.current.call(method, params, options);
    try {
      const result = await this.current.call(method, params, options);
      this.settled = true;
      return result;
    } catch (error) {
      if (error instanceof UnsupportedTransport) {
        this.current = this.xmlRpc;
        this.settled = true;
        return this.current.call(method, params, options);
      }
      if (error instanceof XapiError) this.settled = true;
      throw error;
    }
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
