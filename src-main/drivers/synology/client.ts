/**
 * A small typed client for the Synology DSM Web API (san.md §3.1): discover the APIs with SYNO.API.Info, log
 * in with SYNO.API.Auth (format=sid), call anything by name with `_sid`, log out.
 *
 *   const session = await connectDsm({ url: 'https://nas:5001', username: 'monitor', password });
 *   const { luns } = await session.call<{ luns: unknown[] }>('SYNO.Core.ISCSI.LUN', 'list', { additional: ['status'] });
 *   await session.logout();
 *
 * Every call goes to the path and within the versions API.Info gave. An answer saying the session is gone
 * (106, 107, 119) makes the client log in again once and retry; concurrent calls share that one login. All
 * parameters travel in a form POST body, never in the URL, so neither the password nor the session id lands
 * in a web server's access log.
 */
import { DsmError, DsmTransportError, SESSION_GONE_CODES } from './errors';
import { parseAnswer, parseApiInfo, type DsmApiInfo } from './envelope';
import { DsmHttp } from './https';

export { DsmError, DsmTransportError, meaningOf, type DsmFailureKind } from './errors';
export type { DsmApiInfo } from './envelope';

export interface DsmConnectOptions {
  /** 'https://nas:5001' or 'http://nas:5000'. */
  url: string;
  username: string;
  password: string;
  /** Pinned SHA-256 fingerprint ('AB:CD:…'); any other certificate fails with 'certificate-changed'. */
  fingerprint?: string | null;
  /** Hears the fingerprint of every certificate seen, once per new TLS connection. */
  onCertificate?: (fingerprint: string) => void;
  /** Per call, default 30 s. */
  timeoutMs?: number;
  /** Default 64 MiB. */
  maxResponseBytes?: number;
}

export type DsmParamValue = string | number | boolean | string[];

export interface DsmSession {
  /** Calls `api`/`method`; `params.version` overrides the version chosen (see `PREFERRED_VERSIONS`). */
  call<T>(api: string, method: string, params?: Record<string, DsmParamValue>): Promise<T>;
  /** What SYNO.API.Info listed: path and version range per API name. */
  apis: Map<string, DsmApiInfo>;
  /** The NAS's certificate (SHA-256, 'AB:CD:…'); null over plain http. */
  fingerprint: string | null;
  /** Logs out (best effort: a session the NAS already dropped is fine) and closes the connections. */
  logout(): Promise<void>;
}

/**
 * The versions whose answers this driver was written against, clamped into what the NAS offers. Any other
 * API gets its maxVersion (py-synologydsm-api does the same). Auth 6 gives `sid` on DSM 6.2 and 7.x alike.
 */
const PREFERRED_VERSIONS: Readonly<Record<string, number>> = {
  'SYNO.API.Info': 1,
  'SYNO.API.Auth': 6,
  'SYNO.Core.ISCSI.LUN': 1,
  'SYNO.Core.ISCSI.Target': 1,
  'SYNO.DR.Plan': 1,
  'SYNO.DSM.Info': 2,
  'SYNO.DSM.Network': 1,
  'SYNO.Core.System': 1,
};

const RESERVED_PARAMS = new Set(['api', 'method', '_sid', 'account', 'passwd']);
/** Bounds a session id we will echo back; DSM's are a few dozen characters. */
const SID_PATTERN = /^[\x21-\x7e]{1,1024}$/;

export async function connectDsm(options: DsmConnectOptions): Promise<DsmSession> {
  const http = new DsmHttp(options);
  try {
    const session = new _Session(http, options.username, options.password);
    await session.open();
    return session;
  } catch (error) {
    http.close();
    throw error;
  }
}

function chooseVersion(api: string, info: DsmApiInfo): number {
  const preferred = PREFERRED_VERSIONS[api] ?? info.maxVersion;
  return Math.min(info.maxVersion, Math.max(info.minVersion, preferred));
}

function encodeValue(name: string, value: DsmParamValue): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TypeError(`parameter ${name} is not a finite number`);
    return String(value);
  }
  if (Array.isArray(value) && value.every((item) => typeof item === 'string')) return JSON.stringify(value);
  throw new TypeError(`parameter ${name} must be a string, number, boolean or list of strings`);
}

class _Session implements DsmSession {
  apis = new Map<string, DsmApiInfo>();
  private sid: string | null = null;
  private relogin: Promise<void> | null = null;
  private loggedOut = false;

  constructor(
    private readonly http: DsmHttp,
    private readonly username: string,
    private readonly password: string,
  ) {}

  get fingerprint(): string | null {
    return this.http.fingerprint;
  }

  async open(): Promise<void> {
    const text = await this.http.postForm('query.cgi', new URLSearchParams({ api: 'SYNO.API.Info', version: '1', method: 'query', query: 'all' }).toString());
    this.apis = parseApiInfo(parseAnswer(text, 'SYNO.API.Info', 'query'));
    await this.login();
  }

  async call<T>(api: string, method: string, params: Record<string, DsmParamValue> = {}): Promise<T> {
    if (this.loggedOut) throw new Error(`the DSM session with ${this.http.endpoint} was logged out; connect again`);
    for (const name of Object.keys(params)) {
      if (RESERVED_PARAMS.has(name)) throw new TypeError(`parameter ${name} is set by the client`);
    }
    const sidUsed = this.sid;
    try {
      return (await this.request(api, method, params, sidUsed)) as T;
    } catch (error) {
      if (!(error instanceof DsmError) || !SESSION_GONE_CODES.has(error.code) || api === 'SYNO.API.Auth') throw error;
    }
    await this.loginAgain(sidUsed);
    // Once only: a session that is gone again right after a fresh login is an error worth showing.
    return (await this.request(api, method, params, this.sid)) as T;
  }

  async logout(): Promise<void> {
    if (this.loggedOut) return;
    this.loggedOut = true;
    try {
      if (this.sid !== null && this.apis.has('SYNO.API.Auth')) await this.request('SYNO.API.Auth', 'logout', {}, this.sid);
    } catch {
      // Best effort: the NAS may have dropped the session already, or be gone.
    } finally {
      this.sid = null;
      this.http.close();
    }
  }

  private async request(api: string, method: string, params: Record<string, DsmParamValue>, sid: string | null): Promise<unknown> {
    const info = this.apis.get(api);
    if (!info) throw new DsmError(api, method, 102);
    const { version, ...rest } = params;
    const form = new URLSearchParams();
    form.set('api', api);
    form.set('version', version === undefined ? String(chooseVersion(api, info)) : encodeValue('version', version));
    form.set('method', method);
    for (const [name, value] of Object.entries(rest)) form.set(name, encodeValue(name, value));
    if (sid !== null) form.set('_sid', sid);
    const text = await this.http.postForm(info.path, form.toString());
    return parseAnswer(text, api, method);
  }

  private async login(): Promise<void> {
    const data = await this.requestLogin();
    const sid = typeof data === 'object' && data !== null ? (data as Record<string, unknown>).sid : undefined;
    if (typeof sid !== 'string' || !SID_PATTERN.test(sid)) {
      throw new DsmTransportError('malformed', 'malformed answer to SYNO.API.Auth login: no session id');
    }
    this.sid = sid;
  }

  /** The login request alone: its parameters hold the password, so it never goes through `call`'s checks or retry. */
  private requestLogin(): Promise<unknown> {
    const info = this.apis.get('SYNO.API.Auth')!;
    const form = new URLSearchParams();
    form.set('api', 'SYNO.API.Auth');
    form.set('version', String(chooseVersion('SYNO.API.Auth', info)));
    form.set('method', 'login');
    form.set('account', this.username);
    form.set('passwd', this.password);
    form.set('format', 'sid');
    return this.http.postForm(info.path, form.toString()).then((text) => parseAnswer(text, 'SYNO.API.Auth', 'login'));
  }

  /** Logs in again unless another call already did since `sidUsed` failed; parallel callers share one login. */
  private async loginAgain(sidUsed: string | null): Promise<void> {
    if (this.relogin) return this.relogin;
    if (this.sid !== sidUsed) return;
    this.relogin = this.login().finally(() => {
      this.relogin = null;
    });
    return this.relogin;
  }
}
