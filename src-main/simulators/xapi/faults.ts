/**
 * Scripted misbehaviour, for the client's bad-input tests: the next N responses (optionally only those to
 * one method) come back broken in a chosen way. Each kind is something a client meets in the field or
 * must survive from a hostile peer: a 500, a body cut short, bytes that are neither XML nor JSON, a slow
 * answer, an endless answer (streamed, never held in memory), a billion-laughs DOCTYPE, a dropped
 * connection, a response nested 100 000 levels deep.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { delay } from './events';
import { XMLRPC_HEAD, XMLRPC_TAIL, internalErrorPage } from './wire-xml';

export type FaultKind = 'http-500' | 'truncate' | 'garbage' | 'slow' | 'huge' | 'xml-bomb' | 'close' | 'deep';

export interface FaultSpec {
  kind: FaultKind;
  /** How many responses misbehave (default 1). */
  count?: number;
  /** Only responses to this method misbehave (others pass untouched). */
  method?: string;
  /** 'slow': how long to hold the response (default 2000 ms). */
  delayMs?: number;
  /** 'huge': the response size in bytes (default 500 MB). */
  bytes?: number;
  /** 'huge': send no Content-Length (chunked), so the client cannot refuse it up front. */
  chunked?: boolean;
  /** 'deep': nesting levels (default 100 000). */
  depth?: number;
}

export const FAULT_KINDS: readonly FaultKind[] = ['http-500', 'truncate', 'garbage', 'slow', 'huge', 'xml-bomb', 'close', 'deep'];

export type Protocol = 'xml' | 'json';

export const contentTypeOf = (protocol: Protocol) => (protocol === 'json' ? 'application/json' : 'text/xml');

/** Faults waiting to fire, in the order they were scripted. */
export class FaultQueue {
  private readonly pending: (FaultSpec & { left: number })[] = [];

  add(spec: FaultSpec): void {
    if (!FAULT_KINDS.includes(spec.kind)) throw new Error(`unknown fault kind ${String(spec.kind)}`);
    const count = spec.count ?? 1;
    if (!Number.isSafeInteger(count) || count < 1) throw new Error('fault count must be a positive integer');
    this.pending.push({ ...spec, left: count });
  }

  clear(): void {
    this.pending.length = 0;
  }

  get size(): number {
    return this.pending.length;
  }

  /** The fault for a response to `method`, if one is due; consumes one of its count. */
  take(method: string | undefined): FaultSpec | undefined {
    const index = this.pending.findIndex((fault) => fault.method === undefined || fault.method === method);
    if (index < 0) return undefined;
    const fault = this.pending[index]!;
    if (--fault.left === 0) this.pending.splice(index, 1);
    return fault;
  }
}

/** Faults that answer instead of the server (the call never reaches the API). */
export const replacesAnswer = (kind: FaultKind) => kind !== 'truncate' && kind !== 'slow';

export async function holdSlow(spec: FaultSpec, signal: AbortSignal): Promise<boolean> {
  return delay(Math.max(0, spec.delayMs ?? 2000), signal);
}

/** Sends the full Content-Length but only half the body, then drops the connection. */
export function writeTruncated(res: ServerResponse, protocol: Protocol, body: string): void {
  const bytes = Buffer.from(body, 'utf8');
  res.writeHead(200, { 'content-type': contentTypeOf(protocol), 'content-length': bytes.length });
  res.write(bytes.subarray(0, Math.floor(bytes.length / 2)), () => res.destroy());
}

function billionLaughs(): string {
  const entities = ['<!ENTITY lol "lol">'];
  for (let i = 1; i <= 9; i++) entities.push(`<!ENTITY lol${i} "${`&lol${i === 1 ? '' : i - 1};`.repeat(10)}">`);
  return (
    `<?xml version="1.0"?><!DOCTYPE lolz [${entities.join('')}]>` +
    '<methodResponse><params><param><value><struct><member><name>Status</name><value>Success</value></member>' +
    '<member><name>Value</name><value>&lol9;</value></member></struct></value></param></params></methodResponse>'
  );
}

function deepBody(protocol: Protocol, depth: number): string {
  if (protocol === 'json') return `{"jsonrpc":"2.0","result":${'['.repeat(depth)}${']'.repeat(depth)},"id":1}`;
  const open = '<value><array><data>'.repeat(depth);
  const close = '</data></array></value>'.repeat(depth);
  return `${XMLRPC_HEAD}<value><struct><member><name>Status</name><value>Success</value></member><member><name>Value</name>${open}${close}</member></struct></value>${XMLRPC_TAIL}`;
}

/** Bytes that are neither XML nor JSON, behind the right content type. */
const GARBAGE = Buffer.from('\u0000\u00ff\u00fe<<?garbage ]]>{"unterminated": [\u0001\u0002 not a xapi answer', 'latin1');

/** Answers `res` with the fault instead of the real answer (for kinds where replacesAnswer is true). */
export async function writeFault(
  req: IncomingMessage,
  res: ServerResponse,
  protocol: Protocol,
  spec: FaultSpec,
  signal: AbortSignal,
): Promise<void> {
  const type = contentTypeOf(protocol);
  switch (spec.kind) {
    case 'http-500': {
      const page = internalErrorPage('Simulated failure');
      res.writeHead(500, { 'content-type': 'text/html', 'content-length': Buffer.byteLength(page), connection: 'close' });
      res.end(page);
      return;
    }
    case 'garbage':
      res.writeHead(200, { 'content-type': type, 'content-length': GARBAGE.length });
      res.end(GARBAGE);
      return;
    case 'close':
      req.socket.destroy();
      return;
    case 'xml-bomb': {
      const bomb = billionLaughs(); // XML whatever the endpoint: a JSON client must refuse it by its type
      res.writeHead(200, { 'content-type': 'text/xml', 'content-length': Buffer.byteLength(bomb) });
      res.end(bomb);
      return;
    }
    case 'deep': {
      const body = deepBody(protocol, Math.max(1, Math.min(spec.depth ?? 100_000, 1_000_000)));
      res.writeHead(200, { 'content-type': type, 'content-length': Buffer.byteLength(body) });
      res.end(body);
      return;
    }
    case 'huge':
      await streamHuge(res, protocol, spec, signal);
      return;
    default:
      throw new Error(`fault ${spec.kind} does not replace the answer`);
  }
}

/**
 * A well-formed-looking answer of exactly `bytes` bytes (a long list of refs), generated chunk by chunk
 * with backpressure and abandoned as soon as the client goes away or the server closes.
 */
async function streamHuge(res: ServerResponse, protocol: Protocol, spec: FaultSpec, signal: AbortSignal): Promise<void> {
  const head =
    protocol === 'json'
      ? '{"jsonrpc":"2.0","result":["OpaqueRef:NULL"'
      : `${XMLRPC_HEAD}<value><struct><member><name>Status</name><value>Success</value></member><member><name>Value</name><value><array><data>`;
  const tail = protocol === 'json' ? '],"id":1}' : `</data></array></value></member></struct></value>${XMLRPC_TAIL}`;
  const item = protocol === 'json' ? ',"OpaqueRef:00000000-0000-0000-0000-000000000000"' : '<value>OpaqueRef:00000000-0000-0000-0000-000000000000</value>';
  const total = Math.max(spec.bytes ?? 500_000_000, head.length + tail.length);
  const chunk = Buffer.from(item.repeat(Math.ceil(65536 / item.length)));
  const headers: Record<string, string | number> = { 'content-type': contentTypeOf(protocol) };
  if (!spec.chunked) headers['content-length'] = total;
  res.writeHead(200, headers);
  let left = total - head.length - tail.length;
  const gone = () => signal.aborted || res.destroyed || res.writableEnded;
  const drained = () =>
    new Promise<void>((resolve) => {
      const done = () => {
        res.off('drain', done);
        res.off('close', done);
        signal.removeEventListener('abort', done);
        resolve();
      };
      res.on('drain', done);
      res.on('close', done);
      signal.addEventListener('abort', done, { once: true });
    });
  if (!res.write(head)) await drained();
  while (left > 0 && !gone()) {
    // Whole items while they fit; the last few bytes are spaces, which both XML and JSON allow here.
    const piece = left >= chunk.length ? chunk : Buffer.from(item.repeat(Math.floor(left / item.length)) + ' '.repeat(left % item.length));
    left -= piece.length;
    if (!res.write(piece)) await drained();
  }
  if (gone()) {
    res.destroy();
    return;
  }
  res.end(tail);
}
