/**
 * Scripted misbehaviour of the DSM simulator (hand-made, for the client's bad-input tests): the next N answers,
 * optionally only those to one API, come back broken. A 500 page that echoes the request (password and all,
 * as a careless web server might), bytes that are not JSON, a slow answer, an endless answer (streamed, never
 * held), an answer cut short, a dropped connection. Also scripted refusals: an API answering a DSM error code.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

export type DsmFaultKind = 'http-500' | 'garbage' | 'slow' | 'huge' | 'truncate' | 'close';
export const DSM_FAULT_KINDS: readonly DsmFaultKind[] = ['http-500', 'garbage', 'slow', 'huge', 'truncate', 'close'];

export interface DsmFaultOptions {
  /** How many answers misbehave (default 1). */
  count?: number;
  /** Only answers to this API misbehave. */
  api?: string;
  /** 'slow': how long to hold the answer (default 2000 ms). */
  delayMs?: number;
  /** 'huge': the answer's size in bytes (default 300 MB). */
  bytes?: number;
  /** 'huge': send Content-Length (default false: chunked, so the client cannot refuse it up front). */
  declareLength?: boolean;
}

export interface DsmRefusal {
  api: string;
  /** Only this method is refused (default: all of the API's methods). */
  method?: string;
  code: number;
  /** How many answers are refusals (default: until cleared with `refuse(api, null)`). */
  count?: number;
}

interface Pending<T> {
  spec: T;
  left: number;
}

/** Items that fire a number of times each, in the order they were scripted. */
export class ScriptQueue<T> {
  private readonly pending: Pending<T>[] = [];

  add(spec: T, count: number): void {
    if (!(count === Infinity || (Number.isSafeInteger(count) && count >= 1))) throw new Error('count must be a positive integer');
    this.pending.push({ spec, left: count });
  }

  /** The first item `matches` accepts, consuming one of its count. */
  take(matches: (spec: T) => boolean): T | undefined {
    const index = this.pending.findIndex((item) => matches(item.spec));
    if (index < 0) return undefined;
    const item = this.pending[index]!;
    if (--item.left <= 0) this.pending.splice(index, 1);
    return item.spec;
  }

  remove(matches: (spec: T) => boolean): void {
    for (let i = this.pending.length - 1; i >= 0; i--) if (matches(this.pending[i]!.spec)) this.pending.splice(i, 1);
  }

  clear(): void {
    this.pending.length = 0;
  }
}

export type ScheduledFault = DsmFaultOptions & { kind: DsmFaultKind };

const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref());

/**
 * Answers with `fault` instead of `body`. Resolves once the answer is done (or abandoned). 'slow' sends `body`
 * late; the others never send it.
 */
export async function answerWithFault(fault: ScheduledFault, request: IncomingMessage, response: ServerResponse, body: string, rawParams: string): Promise<void> {
  switch (fault.kind) {
    case 'http-500': {
      const page = `<html><body><h1>500 Internal Server Error</h1><pre>${rawParams}</pre></body></html>`;
      response.writeHead(500, { 'Content-Type': 'text/html', 'Content-Length': Buffer.byteLength(page) });
      response.end(page);
      return;
    }
    case 'garbage': {
      const junk = 'HTTP/1.1 Bad\r\n\u0000\u00ff<html>not json{{{';
      response.writeHead(200, { 'Content-Type': 'application/json; charset="UTF-8"', 'Content-Length': Buffer.byteLength(junk) });
      response.end(junk);
      return;
    }
    case 'slow': {
      let gone = false;
      request.socket.once('close', () => (gone = true));
      await delay(fault.delayMs ?? 2000);
      if (gone || response.destroyed) return;
      sendJson(response, body);
      return;
    }
    case 'truncate': {
      response.writeHead(200, { 'Content-Type': 'application/json; charset="UTF-8"', 'Content-Length': Buffer.byteLength(body) + 100 });
      response.write(body.slice(0, Math.max(1, Math.floor(body.length / 2))));
      setTimeout(() => response.destroy(), 20).unref();
      return;
    }
    case 'close':
      request.socket.destroy();
      return;
    case 'huge':
      await streamHuge(response, fault.bytes ?? 300 * 1024 * 1024, fault.declareLength ?? false);
      return;
  }
}

/** Valid-looking JSON that never ends in time: written with backpressure, stopped when the client leaves. */
async function streamHuge(response: ServerResponse, bytes: number, declareLength: boolean): Promise<void> {
  const headers: Record<string, string | number> = { 'Content-Type': 'application/json; charset="UTF-8"' };
  if (declareLength) headers['Content-Length'] = bytes;
  response.writeHead(200, headers);
  const head = '{"success":true,"data":{"luns":[';
  const filler = Buffer.from('{"name":"padding","uuid":"00000000-0000-0000-0000-000000000000"},'.repeat(1024));
  let sent = 0;
  let gone = false;
  response.once('close', () => (gone = true));
  response.write(head);
  sent += head.length;
  while (!gone && sent + filler.length < bytes) {
    sent += filler.length;
    if (!response.write(filler)) {
      await new Promise<void>((resolve) => {
        const done = () => {
          response.off('drain', done);
          response.off('close', done);
          resolve();
        };
        response.once('drain', done);
        response.once('close', done);
      });
    }
  }
  if (!gone) response.end('{}]}}');
}

export function sendJson(response: ServerResponse, body: string, headers: Record<string, string> = {}): void {
  if (response.destroyed || response.headersSent) return;
  response.writeHead(200, { 'Content-Type': 'application/json; charset="UTF-8"', 'Content-Length': Buffer.byteLength(body), ...headers });
  response.end(body);
}
