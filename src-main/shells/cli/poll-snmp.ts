/**
 * `labwarden poll snmp://[community@]host[:port] [--v1] [--v3 user=…,auth=…,authKey=…,priv=…,privKey=…] [--json]`.
 * One full poll of a switch, NAS or host over SNMP. The JSON document is a stable contract (README,
 * "labwarden poll snmp://"): fields are added, never renamed. ifIndex numbers, MACs lower-case colon hex.
 */
import { UsageError } from './args';
import { pollSwitch } from '../../drivers/snmp/poll';
import type { SnmpTarget } from '../../drivers/snmp/session';
import type { SwitchObservation } from '../../domain/model/switches';

const AUTH = ['md5', 'sha', 'sha224', 'sha256', 'sha384', 'sha512'] as const;
const PRIV = ['des', 'aes', 'aes256b', 'aes256r'] as const;

/** snmp://[community@]host[:port] plus the --v1 / --v3 options → a target. */
export function parseSnmpTarget(text: string, v1: boolean, v3Text: string | undefined): SnmpTarget {
  const match = /^snmp:\/\/(?:([^@/\s]+)@)?(\[[0-9a-fA-F:.]+\]|[^/:@\s[\]]+)(?::(\d{1,5}))?\/?$/.exec(text);
  if (!match) throw new UsageError(`"${text}" is not snmp://[community@]host[:port]`);
  const port = match[3] === undefined ? 161 : Number(match[3]);
  if (port < 1 || port > 65535) throw new UsageError(`port ${match[3]} is outside 1–65535`);
  const host = match[2]!.startsWith('[') ? match[2]!.slice(1, -1) : match[2]!;
  if (v3Text !== undefined) {
    if (v1) throw new UsageError('--v1 and --v3 exclude each other');
    if (match[1] !== undefined) throw new UsageError('SNMPv3 has no community: drop the "community@" part');
    const fields = new Map<string, string>();
    for (const part of v3Text.split(',')) {
      const eq = part.indexOf('=');
      if (eq <= 0) throw new UsageError(`--v3 takes key=value pairs separated by commas, not "${part}"`);
      const key = part.slice(0, eq);
      if (!['user', 'auth', 'authKey', 'priv', 'privKey'].includes(key)) throw new UsageError(`--v3: unknown key "${key}" (user, auth, authKey, priv, privKey)`);
      fields.set(key, part.slice(eq + 1));
    }
    const user = fields.get('user');
    if (!user) throw new UsageError('--v3 needs user=NAME');
    const auth = fields.get('auth');
    const priv = fields.get('priv');
    if (auth !== undefined && !(AUTH as readonly string[]).includes(auth)) throw new UsageError(`--v3 auth=${auth}: one of ${AUTH.join(', ')}`);
    if (priv !== undefined && !(PRIV as readonly string[]).includes(priv)) throw new UsageError(`--v3 priv=${priv}: one of ${PRIV.join(', ')}`);
    if (auth !== undefined && !fields.get('authKey')) throw new UsageError('--v3 auth= needs authKey=');
    if (priv !== undefined && (auth === undefined || !fields.get('privKey'))) throw new UsageError('--v3 priv= needs auth=, authKey= and privKey=');
    const level = priv !== undefined ? 'authPriv' : auth !== undefined ? 'authNoPriv' : 'noAuthNoPriv';
    return {
      host,
      port,
      version: 'v3',
      v3: {
        user,
        level,
        ...(auth !== undefined ? { authProtocol: auth as (typeof AUTH)[number], authKey: fields.get('authKey')! } : {}),
        ...(priv !== undefined ? { privProtocol: priv as (typeof PRIV)[number], privKey: fields.get('privKey')! } : {}),
      },
    };
  }
  return { host, port, version: v1 ? 'v1' : 'v2c', community: match[1] === undefined ? 'public' : decodeURIComponent(match[1]) };
}

export async function pollSnmp(target: SnmpTarget, timeoutSeconds: number): Promise<SwitchObservation> {
  const { observation } = await pollSwitch({ ...target, timeoutMs: timeoutSeconds * 1000 });
  return observation;
}

/** The documented JSON contract. */
export function snmpReport(o: SwitchObservation) {
  return {
    system: { name: o.system.name, descr: o.system.descr, objectId: o.system.objectId },
    ports: o.ports.map((p) => ({
      ifIndex: p.ifIndex,
      name: p.name,
      descr: p.descr,
      alias: p.alias,
      type: p.type,
      adminUp: p.adminUp,
      operUp: p.operUp,
      speedMbps: p.speedMbps,
      mtu: p.mtu,
      mac: p.mac,
      pvid: p.pvid,
      taggedVlans: p.taggedVlans,
      untaggedVlans: p.untaggedVlans,
      lagIfIndex: p.lagIfIndex,
    })),
    lags: o.lags.map((l) => ({ ifIndex: l.ifIndex, name: l.name, memberIfIndexes: l.memberIfIndexes })),
    vlans: o.vlans.map((v) => ({ id: v.id, name: v.name })),
    neighbors: o.neighbors.map((n) => ({ localIfIndex: n.localIfIndex, remoteSystemName: n.remoteSystemName, remotePortId: n.remotePortId, remoteChassisId: n.remoteChassisId })),
    fdb: o.fdb.map((f) => ({ mac: f.mac, vlan: f.vlan, ifIndex: f.ifIndex })),
  };
}

export function snmpText(o: SwitchObservation): string {
  const up = o.ports.filter((p) => p.operUp).length;
  const lines = [`${o.system.name || '(no sysName)'}: ${o.system.descr.split('\n')[0]}`, `  ${o.ports.length} ports (${up} up), ${o.vlans.length} VLANs, ${o.lags.length} LAGs, ${o.neighbors.length} LLDP neighbours, ${o.fdb.length} MACs`];
  for (const lag of o.lags) {
    const names = lag.memberIfIndexes.map((i) => o.ports.find((p) => p.ifIndex === i)?.name ?? String(i));
    lines.push(`  ${lag.name}: ${names.join(', ') || 'no members'}`);
  }
  if (o.gaps.length) lines.push(`  not read: ${o.gaps.join('; ')}`);
  return `${lines.join('\n')}\n`;
}
