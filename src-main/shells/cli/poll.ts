/**
 * `labwarden poll xenapi://user@host[:port] --password-file F [--fingerprint SHA256] [--json]`.
 * The JSON document is a stable contract (README, "labwarden poll"): fields are added, never renamed.
 */
import { readFileSync, statSync } from 'node:fs';
import { parseArgs, UsageError } from './args';
import { pollPoolOnce } from '../../collect/poll-once';
import { normalizeFingerprint } from '../../domain/checks/addresses';
import { XapiError, XapiTransportError } from '../../drivers/xenapi/errors';
import type { PoolObservation } from '../../domain/model/pools';
import { bondHealth } from '../../domain/health/bonds';
import { pathHealth } from '../../domain/health/multipath';
import type { CliIo, CliResult } from './commands';
import { parseSnmpTarget, pollSnmp, snmpReport, snmpText } from './poll-snmp';

export class PollFailed extends Error {}

/** xenapi://user@host[:port] → https://host[:port]; xenapi+http:// → http://. */
export function parseXenapiTarget(text: string): { url: string; username: string } {
  const match = /^xenapi(\+https?)?:\/\/(?:([^@/:]+)@)?(\[[0-9a-fA-F:.]+\]|[^/:@\s]+)(?::(\d{1,5}))?\/?$/.exec(text);
  if (!match) throw new UsageError(`"${text}" is not xenapi://user@host[:port] (or xenapi+http://… for plain HTTP)`);
  const scheme = match[1] === '+http' ? 'http' : 'https';
  const port = match[4];
  if (port !== undefined && (Number(port) < 1 || Number(port) > 65535)) throw new UsageError(`port ${port} is outside 1–65535`);
  return { url: `${scheme}://${match[3]}${port ? `:${port}` : ''}`, username: decodeURIComponent(match[2] ?? 'root') };
}

function readPassword(file: string): string {
  let size: number;
  try {
    size = statSync(file).size;
  } catch (error) {
    throw new PollFailed(`cannot read the password file ${file}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message}`);
  }
  if (size > 4096) throw new PollFailed(`${file} is ${size} bytes; a password file holds one line`);
  // One trailing newline is what `echo pw > file` leaves; it is not part of the password.
  return readFileSync(file, 'utf8').replace(/\r?\n$/, '');
}

export async function pollCommand(argv: string[], io: CliIo): Promise<CliResult> {
  const { positionals, options } = parseArgs(argv, ['password-file', 'fingerprint', 'timeout', 'v3'], ['json', 'v1']);
  if (positionals.length !== 1) throw new UsageError('poll takes one target: xenapi://user@host[:port] or snmp://[community@]host[:port]');
  const target = positionals[0]!;
  if (target.startsWith('snmp://')) return pollSnmpCommand(target, options, io);
  if (!target.startsWith('xenapi')) throw new UsageError(`"${target}": poll reads xenapi:// and snmp:// targets`);
  const { url, username } = parseXenapiTarget(target);
  const passwordFile = options.get('password-file');
  if (typeof passwordFile !== 'string') throw new UsageError('poll needs --password-file FILE (the password is never taken on the command line)');
  const pinText = options.get('fingerprint');
  let fingerprint: string | null = null;
  if (typeof pinText === 'string') {
    fingerprint = normalizeFingerprint(pinText);
    if (!fingerprint) throw new UsageError(`--fingerprint ${pinText} is not a SHA-256 fingerprint (32 hex bytes, e.g. AB:CD:…)`);
  }
  const timeoutText = options.get('timeout') ?? '30';
  const timeoutSeconds = Number(timeoutText);
  if (!(timeoutSeconds > 0 && timeoutSeconds <= 600)) throw new UsageError(`--timeout ${String(timeoutText)} is not 1–600 seconds`);

  const password = readPassword(passwordFile);
  let result;
  try {
    result = await pollPoolOnce({ url, username, password, fingerprint, timeoutMs: timeoutSeconds * 1000 });
  } catch (error) {
    throw new PollFailed(describeFailure(error, url));
  }
  if (!fingerprint && result.fingerprint) {
    io.err(`Accepted the certificate of ${url} on first use: SHA256 ${result.fingerprint}\n(pass --fingerprint ${result.fingerprint} to insist on it next time)\n`);
  }
  io.out(options.has('json') ? `${JSON.stringify(pollReport(result.observation), null, 2)}\n` : pollText(result.observation));
  return { code: 0 };
}

async function pollSnmpCommand(text: string, options: Map<string, string | true>, io: CliIo): Promise<CliResult> {
  for (const name of ['password-file', 'fingerprint']) if (options.has(name)) throw new UsageError(`--${name} is for xenapi:// targets`);
  const v3 = options.get('v3');
  const target = parseSnmpTarget(text, options.has('v1'), typeof v3 === 'string' ? v3 : undefined);
  const timeoutText = options.get('timeout') ?? '2';
  const seconds = Number(timeoutText);
  if (!(seconds > 0 && seconds <= 60)) throw new UsageError(`--timeout ${String(timeoutText)} is not 1–60 seconds`);
  let observation;
  try {
    observation = await pollSnmp(target, seconds);
  } catch (error) {
    throw new PollFailed((error as Error)?.message ?? String(error));
  }
  io.out(options.has('json') ? `${JSON.stringify(snmpReport(observation), null, 2)}\n` : snmpText(observation));
  return { code: 0 };
}

function describeFailure(error: unknown, url: string): string {
  if (error instanceof XapiError) {
    if (error.code === 'SESSION_AUTHENTICATION_FAILED') return `${url} refused the user name or password`;
    return `${url} answered ${error.code}${error.params.length ? ` (${error.params.join(', ')})` : ''}`;
  }
  if (error instanceof XapiTransportError && error.kind === 'certificate-changed') {
    return `${error.message}\nIf the host's certificate was renewed on purpose, pass --fingerprint ${error.presentedFingerprint ?? 'NEW'}`;
  }
  return (error as Error)?.message ?? String(error);
}

/** The documented JSON contract. */
export function pollReport(observation: PoolObservation) {
  return {
    pool: { name: observation.pool.name, master: observation.pool.master, haEnabled: observation.pool.haEnabled },
    hosts: observation.hosts.map((host) => ({
      name: host.name,
      address: host.address,
      multipathing: host.multipathing,
      nics: [
        ...host.nics.map((nic) => ({
          device: nic.device,
          mac: nic.mac,
          carrier: nic.carrier,
          speedMbps: nic.speedMbps,
          mtu: nic.mtu,
          management: nic.management,
          ip: nic.ip,
          vlan: null as number | null,
          bond: nic.bond,
        })),
        // VLAN interfaces, as xapi lists them: the device they ride on, with their tag and their own IP.
        ...host.vlans.map((vlan) => {
          const under = host.nics.find((nic) => nic.device === vlan.on);
          return {
            device: vlan.on,
            mac: under?.mac ?? '',
            carrier: under?.carrier ?? null,
            speedMbps: under?.speedMbps ?? null,
            mtu: vlan.mtu,
            management: vlan.management,
            ip: vlan.ip,
            vlan: vlan.tag as number | null,
            bond: null as string | null,
          };
        }),
      ],
    })),
    bonds: observation.hosts.flatMap((host) =>
      host.bonds.map((bond) => ({ host: host.name, device: bond.device, mode: bond.mode, members: bond.members, linksUp: bond.linksUp })),
    ),
    vlans: observation.hosts.flatMap((host) => host.vlans.map((vlan) => ({ host: host.name, tag: vlan.tag, on: vlan.on }))),
    networks: observation.networks.map((network) => ({ name: network.name, bridge: network.bridge, mtu: network.mtu, hosts: network.hosts })),
    storage: observation.storage.flatMap((sr) =>
      sr.attachments.map((a) => ({
        sr: sr.name,
        type: sr.type,
        shared: sr.shared,
        host: a.host,
        attached: a.attached,
        multipathed: a.multipathed,
        activePaths: a.activePaths,
        totalPaths: a.totalPaths,
        iscsiSessions: a.iscsiSessions,
      })),
    ),
  };
}

/** A few lines for a person at a terminal: the pool, each bond's and each multipath SR's state. */
function pollText(observation: PoolObservation): string {
  const lines = [
    `Pool ${observation.pool.name}: master ${observation.pool.master}, HA ${observation.pool.haEnabled ? 'on' : 'off'}, ${observation.hosts.length} host(s)`,
  ];
  for (const host of observation.hosts) {
    lines.push(`  ${host.name} (${host.address}) multipathing ${host.multipathing ? 'on' : 'off'}`);
    for (const bond of host.bonds) lines.push(`    ${bond.device} ${bond.mode ?? ''} [${bond.members.join('+')}]: ${bondHealth(bond, host.nics).text}`);
  }
  const hosts = new Map(observation.hosts.map((host) => [host.name, host]));
  for (const sr of observation.storage.filter((s) => s.multipathCapable)) {
    for (const a of sr.attachments) lines.push(`  ${sr.name} on ${a.host}: ${pathHealth(sr, a, hosts.get(a.host)).text}`);
  }
  return `${lines.join('\n')}\n`;
}
