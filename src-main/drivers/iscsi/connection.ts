/**
 * One TCP connection to a portal, read as PDUs: connect with a deadline, wait for each answer with a
 * deadline, map socket errors to failure kinds, and close so that nothing stays open. The caller's
 * AbortSignal ends whatever is pending.
 */
import { connect, type Socket } from 'node:net';
import { ProbeError, describeDuration, type ProbeFailureKind } from './errors/probe-error';
import { PduReader, type Pdu } from './pdu';

export interface ConnectionOptions {
  host: string;
  port: number;
  /** 'host:port', for messages. */
  portal: string;
  connectTimeoutMs: number;
  maxDataSegmentLength: number;
  signal?: AbortSignal | undefined;
}

const UNREACHABLE = new Set(['EHOSTUNREACH', 'ENETUNREACH', 'EHOSTDOWN', 'ENETDOWN', 'EADDRNOTAVAIL', 'ENOTFOUND', 'EAI_AGAIN', 'EAI_FAIL', 'EAI_NONAME']);
const CLOSED = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED']);

function connectFailure(error: NodeJS.ErrnoException, portal: string): ProbeError {
  const code = error.code ?? '';
  const kind: ProbeFailureKind =
    code === 'ECONNREFUSED' ? 'refused' : code === 'ETIMEDOUT' ? 'timeout' : CLOSED.has(code) ? 'closed' : 'unreachable';
  const what =
    kind === 'refused'
      ? 'connection refused (the host is up, but nothing listens on that port)'
      : code === 'ENOTFOUND' || code.startsWith('EAI_')
        ? 'the name does not resolve'
        : kind === 'unreachable'
          ? 'no route to the portal'
          : kind === 'timeout'
            ? 'the TCP connection timed out'
            : 'the connection was reset';
  return new ProbeError(kind, `${portal}: ${what} (${code || error.message})`, { cause: error });
}

export class PduConnection {
  readonly connectMs: number;
  private readonly socket: Socket;
  private readonly portal: string;
  private readonly reader: PduReader;
  private readonly queue: Pdu[] = [];
  private failure: ((waitingFor: string) => ProbeError) | null = null;
  private waiter: (() => void) | null = null;
  private readonly closed: Promise<void>;
  private readonly onAbort = () => this.fail(() => new ProbeError('aborted', `${this.portal}: probe aborted`));
  private readonly signal: AbortSignal | undefined;

  private constructor(socket: Socket, options: ConnectionOptions, connectMs: number) {
    this.socket = socket;
    this.portal = options.portal;
    this.connectMs = connectMs;
    this.signal = options.signal;
    this.reader = new PduReader({ maxDataSegmentLength: options.maxDataSegmentLength });
    this.closed = new Promise((resolve) => socket.once('close', () => resolve()));
    socket.on('data', (chunk: Buffer) => {
      try {
        this.queue.push(...this.reader.push(chunk));
      } catch (error) {
        const failure = error as ProbeError;
        this.fail(() => new ProbeError(failure.kind, `${this.portal}: ${failure.message}`));
        return;
      }
      this.wake();
    });
    socket.on('end', () => this.fail((waitingFor) => new ProbeError('closed', `${this.portal} closed the connection while the probe waited for ${waitingFor}`)));
    socket.on('error', (error: NodeJS.ErrnoException) =>
      this.fail((waitingFor) => {
        const code = error.code ?? error.message;
        const kind: ProbeFailureKind = code === 'ETIMEDOUT' ? 'timeout' : UNREACHABLE.has(code) ? 'unreachable' : 'closed';
        return new ProbeError(kind, `${this.portal}: connection lost (${code}) while the probe waited for ${waitingFor}`, { cause: error });
      }),
    );
    socket.on('close', () => this.fail((waitingFor) => new ProbeError('closed', `${this.portal} closed the connection while the probe waited for ${waitingFor}`)));
    this.signal?.addEventListener('abort', this.onAbort, { once: true });
  }

  static open(options: ConnectionOptions): Promise<PduConnection> {
    return new Promise((resolve, reject) => {
      if (options.signal?.aborted) {
        reject(new ProbeError('aborted', `${options.portal}: probe aborted`));
        return;
      }
      const started = performance.now();
      const socket = connect({ host: options.host, port: options.port });
      socket.setNoDelay(true);
      const settle = (error: ProbeError | null) => {
        clearTimeout(timer);
        options.signal?.removeEventListener('abort', onAbort);
        socket.off('error', onError);
        socket.off('connect', onConnect);
        if (error) {
          socket.on('error', () => {}); // a late error from the abandoned attempt must not go unhandled
          socket.destroy();
          reject(error);
        } else {
          resolve(new PduConnection(socket, options, performance.now() - started));
        }
      };
      const onError = (error: NodeJS.ErrnoException) => settle(connectFailure(error, options.portal));
      const onConnect = () => settle(null);
      const onAbort = () => settle(new ProbeError('aborted', `${options.portal}: probe aborted`));
      const timer = setTimeout(
        () => settle(new ProbeError('timeout', `${options.portal}: no TCP connection within ${describeDuration(options.connectTimeoutMs)}`)),
        options.connectTimeoutMs,
      );
      socket.once('error', onError);
      socket.once('connect', onConnect);
      options.signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  send(pdu: Buffer): void {
    if (!this.failure && !this.socket.destroyed) this.socket.write(pdu);
  }

  /** The next PDU, or a ProbeError: the connection failed, or nothing came within timeoutMs. */
  next(timeoutMs: number, waitingFor: string): Promise<Pdu> {
    const ready = this.queue.shift();
    if (ready) return Promise.resolve(ready);
    if (this.failure) return Promise.reject(this.failure(waitingFor));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiter = null;
        reject(new ProbeError('timeout', `${this.portal}: no answer within ${describeDuration(timeoutMs)} while the probe waited for ${waitingFor}`));
      }, timeoutMs);
      this.waiter = () => {
        const pdu = this.queue.shift();
        if (pdu) {
          clearTimeout(timer);
          this.waiter = null;
          resolve(pdu);
        } else if (this.failure) {
          clearTimeout(timer);
          this.waiter = null;
          reject(this.failure(waitingFor));
        }
      };
    });
  }

  /** Destroys the socket and resolves once it is closed, so a finished probe holds no socket. */
  async close(): Promise<void> {
    this.signal?.removeEventListener('abort', this.onAbort);
    if (!this.failure) this.failure = (waitingFor) => new ProbeError('closed', `${this.portal}: the probe closed the connection before ${waitingFor}`);
    this.socket.destroy();
    await this.closed;
  }

  private fail(failure: (waitingFor: string) => ProbeError): void {
    if (this.failure) return;
    this.failure = failure;
    this.socket.destroy();
    this.wake();
  }

  private wake(): void {
    this.waiter?.();
  }
}
