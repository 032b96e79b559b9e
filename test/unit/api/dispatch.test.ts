import { describe, it, expect, afterEach } from 'vitest';
import { dispatch, type DispatchLog } from '../../../src-main/api/dispatch';
import { contract, type Handlers } from '../../../src-main/api/contract';
import { METHOD_NAMES } from '../../../src-main/api/method-names';
import { createHandlers } from '../../../src-main/api/service';
import { makeHarness, type Harness } from '../helpers/harness';

/** Handlers that record every property read and every call; dispatch must touch none for a refused call. */
function recordingHandlers(): { handlers: Handlers; touched: PropertyKey[] } {
  const touched: PropertyKey[] = [];
  const handlers = new Proxy({} as Handlers, {
    get(_target, key) {
      touched.push(key);
      return () => {
        touched.push(`called:${String(key)}`);
        return null;
      };
    },
  });
  return { handlers, touched };
}

/** The real service's handlers on a harness's database, for calls that need their own log. */
function realHandlers(harness: Harness): Handlers {
  return createHandlers({
    db: harness.db,
    box: harness.box,
    databasePath: harness.dbPath,
    mode: 'cli',
    version: 'test',
    emit: () => {},
  });
}

function recordingLog(): DispatchLog & { entries: { message: string; error: unknown }[] } {
  const entries: { message: string; error: unknown }[] = [];
  return { entries, error: (message, error) => entries.push({ message, error }) };
}

let h: Harness | undefined;
afterEach(() => {
  h?.close();
  h = undefined;
});

describe('dispatch: which methods exist', () => {
  const unknown: [string, unknown][] = [
    ['a name not in the contract', 'nope'],
    ['"constructor" (inherited from Object.prototype)', 'constructor'],
    ['"__proto__"', '__proto__'],
    ['"toString"', 'toString'],
    ['"hasOwnProperty"', 'hasOwnProperty'],
    ['a method name in another case', 'App.Info'],
    ['a number', 42],
    ['null', null],
    ['undefined', undefined],
    ['an object', { toString: () => 'app.info' }],
  ];

  for (const [label, method] of unknown) {
    it(`refuses ${label} as unknown-method without calling any handler`, async () => {
      const { handlers, touched } = recordingHandlers();
      const log = recordingLog();
      const envelope = await dispatch(handlers, method, [], log);
      expect(envelope.ok).toBe(false);
      if (envelope.ok) return;
      expect(envelope.error.code).toBe('unknown-method');
      expect(envelope.error.message).toMatch(/unknown method/);
      expect(touched).toEqual([]);
      expect(log.entries).toEqual([]);
    });
  }

  it('shows at most 80 characters of an unknown method name in its message', async () => {
    const { handlers } = recordingHandlers();
    const envelope = await dispatch(handlers, 'x'.repeat(10_000), []);
    expect(envelope.ok).toBe(false);
    if (envelope.ok) return;
    expect(envelope.error.message.length).toBeLessThan(120);
  });

  it('lists the same methods in METHOD_NAMES (exposed by the preload) as in the contract (accepted by dispatch)', () => {
    const contractKeys = Object.keys(contract).sort();
    const names = [...METHOD_NAMES].sort();
    expect(new Set(names).size).toBe(names.length);
    expect(names).toEqual(contractKeys);
    for (const name of METHOD_NAMES) expect(Object.prototype.hasOwnProperty.call(contract, name)).toBe(true);
  });

  it('has a handler function for every method in the real service, and no others', () => {
    h = makeHarness();
    const handlers = realHandlers(h);
    expect(Object.keys(handlers).sort()).toEqual([...METHOD_NAMES].sort());
    for (const name of METHOD_NAMES) expect(typeof handlers[name], name).toBe('function');
  });
});

describe('dispatch: argument validation', () => {
  for (const args of [{}, 'abc', 42, null, undefined, { 0: 1, length: 1 }]) {
    it(`answers bad-arguments when args is ${JSON.stringify(args) ?? 'undefined'} (not a list), calling nothing`, async () => {
      const { handlers, touched } = recordingHandlers();
      const envelope = await dispatch(handlers, 'devices.get', args);
      expect(envelope.ok).toBe(false);
      if (envelope.ok) return;
      expect(envelope.error.code).toBe('bad-arguments');
      expect(envelope.error.message).toBe('devices.get takes a list of arguments');
      expect(touched).toEqual([]);
    });
  }

  it('says how many arguments a method takes when given too few or too many', async () => {
    const { handlers, touched } = recordingHandlers();
    const cases: [string, unknown[], string][] = [
      ['devices.get', [], 'devices.get takes 1 argument'],
      ['devices.get', [1, 2], 'devices.get takes 1 argument'],
      ['app.info', ['extra'], 'app.info takes 0 arguments'],
      ['devices.update', [1], 'devices.update takes 2 arguments'],
    ];
    for (const [method, args, message] of cases) {
      const envelope = await dispatch(handlers, method, args);
      expect(envelope.ok).toBe(false);
      if (envelope.ok) continue;
      expect(envelope.error.code).toBe('bad-arguments');
      expect(envelope.error.message).toBe(message);
    }
    expect(touched).toEqual([]);
  });

  it('names the argument and field of a bad IPv4 address', async () => {
    h = makeHarness();
    const envelope = await h.raw('devices.create', [{ name: 'sw1', kind: 'switch', address: '10.0.0.256' }]);
    expect(envelope.ok).toBe(false);
    if (envelope.ok) return;
    expect(envelope.error.code).toBe('bad-arguments');
    expect(envelope.error.issues).toHaveLength(1);
    const [issue] = envelope.error.issues!;
    expect(issue).toMatchObject({ arg: 0, path: ['address'] });
    expect(issue!.message).toMatch(/"10\.0\.0\.256" is not a valid IPv4 address/);
    expect(envelope.error.message).toContain('address');
    expect(await h.api['devices.list']()).toEqual([]);
  });

  it('names the argument position of a bad second argument', async () => {
    h = makeHarness();
    const envelope = await h.raw('devices.update', [1, { name: 'sw1', kind: 'switch', address: 'not an address' }]);
    expect(envelope.ok).toBe(false);
    if (envelope.ok) return;
    expect(envelope.error.issues).toEqual([expect.objectContaining({ arg: 1, path: ['address'] })]);
  });

  it('names the field path inside nested input (a port MAC, a LUN of a target)', async () => {
    h = makeHarness();
    const port = await h.raw('ports.create', [1, { name: 'eth0', role: 'management', mac: 'zz:zz' }]);
    expect(port.ok).toBe(false);
    if (port.ok) return;
    expect(port.error.issues).toEqual([
      { arg: 1, path: ['mac'], message: expect.stringContaining('is not a MAC address') },
    ]);

    const target = await h.raw('targets.create', [
      {
        deviceId: 1,
        iqn: 'iqn.2013-03.com.example:t1',
        portals: [{ address: '10.0.0.1' }],
        luns: [{ lun: 0, sizeBytes: 10 }, { lun: 99999, sizeBytes: 10 }],
      },
    ]);
    expect(target.ok).toBe(false);
    if (target.ok) return;
    expect(target.error.issues).toEqual([{ arg: 0, path: ['luns', 1, 'lun'], message: 'a LUN number is 0–16383' }]);
  });

  it('names an unknown key in an input object', async () => {
    h = makeHarness();
    const envelope = await h.raw('devices.create', [{ name: 'sw1', kind: 'switch', address: '10.0.0.2', colour: 'red' }]);
    expect(envelope.ok).toBe(false);
    if (envelope.ok) return;
    expect(envelope.error.code).toBe('bad-arguments');
    expect(envelope.error.issues).toEqual([{ arg: 0, path: ['colour'], message: 'unknown key "colour"' }]);
    expect(envelope.error.message).toContain('colour');
  });

  it('lists the allowed values of an enum field', async () => {
    h = makeHarness();
    const envelope = await h.raw('devices.create', [{ name: 'sw1', kind: 'fridge', address: '10.0.0.2' }]);
    expect(envelope.ok).toBe(false);
    if (envelope.ok) return;
    expect(envelope.error.issues?.[0]).toMatchObject({ arg: 0, path: ['kind'] });
    expect(envelope.error.issues?.[0]?.message).toContain('xen-pool, xen-host, switch, iscsi-san, nas, linux-host');
  });

  it('does not echo a long or secret-sized value back in a type error', async () => {
    h = makeHarness();
    const long = 'S'.repeat(5000);
    const envelope = await h.raw('devices.get', [long]);
    expect(envelope.ok).toBe(false);
    if (envelope.ok) return;
    expect(JSON.stringify(envelope).length).toBeLessThan(500);
  });
});

describe('dispatch: handler outcomes', () => {
  const SECRET = 'hunter2-very-secret-community';
  const deviceWithSecret = {
    name: 'sw1',
    kind: 'switch',
    address: '10.0.0.2',
    snmp: { version: 'v2c' },
    secrets: { 'snmp-community': SECRET },
  };

  it('maps a plain Error from a handler to "internal", logs it, and keeps the arguments out of log and envelope', async () => {
    const log = recordingLog();
    const received: unknown[][] = [];
    const handlers = {
      'devices.create': (...args: unknown[]) => {
        received.push(args);
        throw new Error('disk on fire');
      },
    } as unknown as Handlers;
    const envelope = await dispatch(handlers, 'devices.create', [deviceWithSecret], log);

    expect(received).toHaveLength(1); // the handler did run, with the validated arguments
    expect(envelope.ok).toBe(false);
    if (envelope.ok) return;
    expect(envelope.error.code).toBe('internal');
    expect(envelope.error.message).toContain('disk on fire');
    expect(envelope.error.issues).toBeUndefined();

    expect(log.entries).toHaveLength(1);
    expect(log.entries[0]!.message).toContain('devices.create');
    expect(log.entries[0]!.error).toBeInstanceOf(Error);
    expect((log.entries[0]!.error as Error).message).toBe('disk on fire');

    const logText = log.entries
      .map((e) => `${e.message} ${String(e.error)} ${(e.error as Error).stack ?? ''} ${JSON.stringify(e.error)}`)
      .join('\n');
    expect(logText).not.toContain(SECRET);
    expect(JSON.stringify(envelope)).not.toContain(SECRET);
  });

  it('never throws, whatever a handler throws (a string, null, a rejected promise)', async () => {
    const thrown: unknown[] = ['a string', null, undefined, 42, { weird: true }];
    for (const value of thrown) {
      const log = recordingLog();
      const handlers = {
        'app.info': () => {
          throw value;
        },
        'devices.list': () => Promise.reject(value),
      } as unknown as Handlers;
      for (const method of ['app.info', 'devices.list']) {
        const envelope = await dispatch(handlers, method, [], log);
        expect(envelope.ok).toBe(false);
        if (envelope.ok) continue;
        expect(envelope.error.code).toBe('internal');
        expect(envelope.error.message).toContain(`${method} failed`);
      }
      expect(log.entries).toHaveLength(2);
    }
  });

  it('does not log expected failures (not found, invalid), and gives them their own codes', async () => {
    h = makeHarness();
    const log = recordingLog();
    const handlers = realHandlers(h);
    const call = (method: string, args: unknown[]) => dispatch(handlers, method, args, log);
    const missing = await call('devices.get', [9999]);
    expect(missing.ok).toBe(false);
    if (!missing.ok) {
      expect(missing.error.code).toBe('not-found');
      expect(missing.error.message).toContain('#9999');
    }

    expect((await call('devices.create', [{ name: 'sw1', kind: 'switch', address: '10.0.0.2' }])).ok).toBe(true);
    const taken = await call('devices.create', [{ name: 'sw1', kind: 'switch', address: '10.0.0.3' }]);
    expect(taken.ok).toBe(false);
    if (!taken.ok) {
      expect(taken.error.code).toBe('conflict');
      expect(taken.error.issues).toEqual([{ path: ['name'], message: 'a device named "sw1" already exists' }]);
    }

    const notPool = await call('app.chooseStart', ['demo']);
    expect(notPool.ok).toBe(false);
    if (!notPool.ok) expect(notPool.error.code).toBe('invalid');
    expect(log.entries).toEqual([]);
  });

  it('turns an undefined result into null so the envelope survives JSON', async () => {
    h = makeHarness();
    await h.api['vlans.create']({ id: 10, name: 'mgmt', purpose: 'management' } as never);
    const envelope = await h.raw('vlans.delete', [10]);
    expect(envelope).toEqual({ ok: true, result: null });
    expect(JSON.parse(JSON.stringify(envelope))).toEqual(envelope);
  });

  it('does not store a credential when validation refuses the call', async () => {
    h = makeHarness();
    const envelope = await h.raw('devices.create', [{ ...deviceWithSecret, address: '10.0.0.256' }]);
    expect(envelope.ok).toBe(false);
    expect(JSON.stringify(envelope)).not.toContain(SECRET);
    expect(await h.api['devices.list']()).toEqual([]);
  });
});
