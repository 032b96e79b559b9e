/**
 * The SETs behind the one-click fixes (snmp.md §1.12), each one PDU followed by a read-back of what was set.
 * An agent may accept a SET and not apply it (Netgear's Q-BRIDGE, pitfall 6) or answer a SET on an object it
 * cannot write with a noSuchInstance varbind (snmpsim): both are failures here, with what was read back.
 * A read-back that differs is read again a few times, since some agents apply a SET a moment later.
 */
import { SnmpFailure } from './errors';
import { dot1qPvid, dot1qVlanStaticEgressPorts, dot1qVlanStaticUntaggedPorts, ifAdminStatus, ifAlias } from './oids';
import { isException, openSession, type RawVarbind, type SnmpTarget } from './session';

export interface SetOptions {
  /** Reads of the value after the SET before giving up on it matching; default 3. */
  readBackAttempts?: number;
  /** Pause between reads that did not match; default 1000 ms. */
  readBackIntervalMs?: number;
}

// BER tags of the values we write.
const INTEGER = 2;
const OCTET_STRING = 4;
const GAUGE32 = 66;

const NAMES: [string, string][] = [
  [ifAdminStatus, 'ifAdminStatus'],
  [ifAlias, 'ifAlias'],
  [dot1qPvid, 'dot1qPvid'],
  [dot1qVlanStaticEgressPorts, 'dot1qVlanStaticEgressPorts'],
  [dot1qVlanStaticUntaggedPorts, 'dot1qVlanStaticUntaggedPorts'],
];

/** 'ifAdminStatus.5' rather than the dotted OID, in messages. */
function nameOf(oid: string): string {
  for (const [prefix, name] of NAMES) if (oid.startsWith(`${prefix}.`)) return `${name}${oid.slice(prefix.length)}`;
  return oid;
}

function show(value: unknown): string {
  if (Buffer.isBuffer(value)) return `0x${value.toString('hex') || '(empty)'}`;
  if (value === null || value === undefined) return 'nothing';
  return typeof value === 'string' ? JSON.stringify(value) : String(value);
}

function same(wanted: RawVarbind, read: RawVarbind | undefined): boolean {
  if (!read || isException(read.type) || read.oid !== wanted.oid) return false;
  const a = wanted.value;
  const b = read.value;
  if (Buffer.isBuffer(a)) return Buffer.isBuffer(b) ? a.equals(b) : typeof b === 'string' && a.equals(Buffer.from(b));
  return a === b;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

async function setAndVerify(target: SnmpTarget, varbinds: RawVarbind[], options: SetOptions): Promise<void> {
  const attempts = options.readBackAttempts ?? 3;
  const interval = options.readBackIntervalMs ?? 1_000;
  if (!Number.isInteger(attempts) || attempts < 1 || attempts > 20) throw new RangeError('readBackAttempts must be 1–20');
  if (!Number.isFinite(interval) || interval < 0 || interval > 60_000) throw new RangeError('readBackIntervalMs must be 0–60000');
  const what = varbinds.map((v) => `${nameOf(v.oid)} = ${show(v.value)}`).join(', ');
  const session = openSession(target);
  try {
    let answered: RawVarbind[];
    try {
      answered = await session.set(varbinds);
    } catch (error) {
      if (!(error instanceof SnmpFailure)) throw error;
      const failure = new SnmpFailure(error.kind, `${error.message} (setting ${what})`);
      if (error.status !== undefined) failure.status = error.status;
      throw failure;
    }
    const refused = answered.find((v) => isException(v.type));
    if (refused) {
      throw new SnmpFailure('protocol', `${session.label}: the agent did not take ${nameOf(refused.oid)} (it answered ${refused.type === 129 ? 'noSuchInstance' : 'noSuchObject'}: not writable there) (setting ${what})`);
    }
    const oids = varbinds.map((v) => v.oid);
    let read: RawVarbind[] = [];
    for (let attempt = 1; attempt <= attempts; attempt++) {
      read = await session.get(oids);
      if (varbinds.every((v, i) => same(v, read[i]))) return;
      if (attempt < attempts) await sleep(interval);
    }
    const differing = varbinds
      .map((v, i) => ({ v, r: read[i] }))
      .filter(({ v, r }) => !same(v, r))
      .map(({ v, r }) => `${nameOf(v.oid)} reads ${r && !isException(r.type) ? show(r.value) : 'as missing'}, not ${show(v.value)}`);
    throw new SnmpFailure('protocol', `${session.label}: the SET was accepted but did not stick: ${differing.join('; ')}`);
  } finally {
    session.close();
  }
}

function checkIndex(ifIndex: number, what = 'ifIndex'): void {
  if (!Number.isInteger(ifIndex) || ifIndex < 1 || ifIndex > 2_147_483_647) throw new RangeError(`${what} ${String(ifIndex)} is not 1–2147483647`);
}

function checkVlan(vlan: number): void {
  if (!Number.isInteger(vlan) || vlan < 1 || vlan > 4094) throw new RangeError(`VLAN ${String(vlan)} is not 1–4094`);
}

/** ifAdminStatus.<ifIndex> = up(1) / down(2). */
export async function setAdminStatus(target: SnmpTarget, ifIndex: number, up: boolean, options: SetOptions = {}): Promise<void> {
  checkIndex(ifIndex);
  return setAndVerify(target, [{ oid: `${ifAdminStatus}.${ifIndex}`, type: INTEGER, value: up ? 1 : 2 }], options);
}

/** ifAlias.<ifIndex> = the port's description (DisplayString, at most 64 bytes). */
export async function setAlias(target: SnmpTarget, ifIndex: number, alias: string, options: SetOptions = {}): Promise<void> {
  checkIndex(ifIndex);
  const bytes = Buffer.from(alias, 'utf8');
  if (bytes.length > 64) throw new RangeError(`an ifAlias is at most 64 bytes; this one is ${bytes.length}`);
  if (/[\0-\x08\x0b\x0c\x0e-\x1f\x7f]/.test(alias)) throw new RangeError('an ifAlias is a DisplayString: no control characters');
  return setAndVerify(target, [{ oid: `${ifAlias}.${ifIndex}`, type: OCTET_STRING, value: bytes }], options);
}

/** dot1qPvid.<bridge port> = VLAN, as a Gauge32 (Unsigned32; INTEGER gives wrongType on strict agents). */
export async function setPvid(target: SnmpTarget, bridgePort: number, vlan: number, options: SetOptions = {}): Promise<void> {
  checkIndex(bridgePort, 'bridge port');
  checkVlan(vlan);
  return setAndVerify(target, [{ oid: `${dot1qPvid}.${bridgePort}`, type: GAUGE32, value: vlan }], options);
}

/**
 * dot1qVlanStaticEgressPorts.<vlan> and dot1qVlanStaticUntaggedPorts.<vlan> in ONE PDU, so the agent never
 * sees a port untagged but not in egress. Both PortLists whole (read-modify-write is the caller's), the same
 * length, untagged ⊆ egress.
 */
export async function setVlanPorts(target: SnmpTarget, vlan: number, egress: Buffer, untagged: Buffer, options: SetOptions = {}): Promise<void> {
  checkVlan(vlan);
  if (!Buffer.isBuffer(egress) || !Buffer.isBuffer(untagged)) throw new TypeError('PortLists are Buffers');
  if (egress.length < 1 || egress.length > 512) throw new RangeError(`a PortList is 1–512 bytes; egress is ${egress.length}`);
  if (untagged.length !== egress.length) throw new RangeError(`egress (${egress.length} bytes) and untagged (${untagged.length} bytes) PortLists differ in length`);
  for (let i = 0; i < egress.length; i++) {
    if ((untagged[i]! & ~egress[i]!) !== 0) throw new RangeError('untagged ports must also be egress ports (RFC 4363)');
  }
  return setAndVerify(
    target,
    [
      { oid: `${dot1qVlanStaticEgressPorts}.${vlan}`, type: OCTET_STRING, value: Buffer.from(egress) },
      { oid: `${dot1qVlanStaticUntaggedPorts}.${vlan}`, type: OCTET_STRING, value: Buffer.from(untagged) },
    ],
    options,
  );
}
