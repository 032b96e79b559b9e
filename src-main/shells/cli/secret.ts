/**
 * `labwarden secret set DEVICE NAME --file FILE` and `labwarden secret clear DEVICE NAME`: a device's credential
 * (or, for chap-secret and chap-target-secret, a target's, with its IQN as DEVICE) stored sealed through the
 * same store functions the API uses. The secret comes from a file, never the command line where `ps` shows it,
 * and is never printed. A NAME that does not fit the device's protocols is refused, naming what is wrong.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { parseArgs, UsageError } from './args';
import { CommandFailed } from './call';
import { dataDirOf } from './lab-session';
import { openLab, type OpenLab } from '../common/open-lab';
import { dataFiles } from '../common/data-dir';
import { listDevices } from '../../store/devices';
import { listTargets } from '../../store/targets';
import {
  setCredential,
  clearCredential,
  setTargetCredential,
  clearTargetCredential,
  revealTargetCredential,
  credentialsOf,
  targetCredentialsOf,
} from '../../store/credentials';
import { CREDENTIAL_LABELS, CREDENTIAL_PURPOSES, type CredentialPurpose } from '../../domain/model/credentials';
import { TARGET_CREDENTIAL_LABELS, TARGET_CREDENTIAL_PURPOSES, type TargetCredentialPurpose } from '../../domain/model/storage';
import type { DeviceSummary } from '../../domain/model/views';
import type { CliIo, CliResult } from './commands';

/** A secret file holds one line; anything bigger is the wrong file. */
export const MAX_SECRET_FILE_BYTES = 4096;
/** As the API's forms allow (api/schemas.ts): a device's credential, a CHAP secret. */
const MAX_DEVICE_SECRET = 1024;
const MAX_CHAP_SECRET = 255;

export const SECRET_NAMES = [...CREDENTIAL_PURPOSES, ...TARGET_CREDENTIAL_PURPOSES] as const;
type SecretName = (typeof SECRET_NAMES)[number];

const isTargetSecret = (name: SecretName): name is TargetCredentialPurpose => (TARGET_CREDENTIAL_PURPOSES as readonly string[]).includes(name);

/** Reads FILE's one line: it must exist, be a file, hold at most 4 KiB, and not be empty once its trailing newline goes. */
export function readSecretFile(file: string): string {
  let size: number;
  try {
    const stat = statSync(file);
    if (!stat.isFile()) throw new CommandFailed(`${file} is not a file`);
    size = stat.size;
  } catch (error) {
    if (error instanceof CommandFailed) throw error;
    throw new CommandFailed(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message}`);
  }
  if (size > MAX_SECRET_FILE_BYTES) throw new CommandFailed(`${file} is ${size} bytes; a secret file holds one line of at most 4 KiB`);
  // One trailing newline is what `echo secret > file` leaves; it is not part of the secret.
  const secret = readFileSync(file, 'utf8').replace(/\r?\n$/, '');
  if (secret === '') throw new CommandFailed(`${file} is empty; put the secret in it, on one line`);
  if (/[\r\n]/.test(secret)) throw new CommandFailed(`${file} holds more than one line; a secret is one line (one trailing newline is ignored)`);
  return secret;
}

export async function secretCommand(argv: string[], io: CliIo): Promise<CliResult> {
  const [action, ...rest] = argv;
  if (action !== 'set' && action !== 'clear') {
    throw new UsageError(action === undefined || action.startsWith('--') ? 'secret takes set or clear: secret set DEVICE NAME --file FILE' : `secret ${action}: the actions are set and clear`);
  }
  const { positionals, options } = parseArgs(rest, ['file', 'data-dir'], []);
  if (positionals.length !== 2) throw new UsageError(`secret ${action} takes DEVICE NAME (for chap-secret, the target's IQN as DEVICE)`);
  const [owner, nameText] = positionals as [string, string];
  if (!(SECRET_NAMES as readonly string[]).includes(nameText)) throw new UsageError(`"${nameText}" is not a secret name; the names are ${SECRET_NAMES.join(', ')}`);
  const name = nameText as SecretName;
  const file = options.get('file');
  let plain: string | null = null;
  if (action === 'set') {
    if (typeof file !== 'string') throw new UsageError('secret set needs --file FILE (a secret is never taken on the command line)');
    plain = readSecretFile(file);
  } else if (file !== undefined) {
    throw new UsageError('secret clear takes no --file');
  }
  const dataDir = dataDirOf(options, io);
  if (!existsSync(dataFiles(dataDir).database)) throw new CommandFailed(`there is no lab in ${dataDir}: import an inventory first (labwarden import FILE)`);
  const lab = openLab({ dataDir, mode: 'cli' });
  try {
    const text = isTargetSecret(name) ? targetSecret(lab, owner, name, plain) : deviceSecret(lab, owner, name, plain);
    io.out(text);
    if (plain !== null && sealedElsewhere(lab)) {
      io.err(
        'Note: other secrets of this lab were sealed by the desktop app (OS keychain), which cannot open one sealed here; if the desktop app polls this lab, set it there.\n',
      );
    }
  } finally {
    await lab.close();
  }
  return { code: 0 };
}

const DEVICE_PICKUP =
  'The next `labwarden audit|ports|whatif --poll` uses it; a running app or serve picks it up at its next inventory change or restart.';
const TARGET_PICKUP = 'The next `labwarden audit|ports|whatif --poll` uses it; a running app or serve uses it at its next probe sweep (within a minute).';

function findDevice(lab: OpenLab, owner: string, name: SecretName): DeviceSummary {
  const devices = listDevices(lab.db);
  const device = devices.find((d) => d.name === owner) ?? devices.find((d) => d.name.toLowerCase() === owner.toLowerCase());
  if (device) return device;
  if (/^(iqn|eui|naa)\./i.test(owner)) throw new CommandFailed(`${owner} is an iSCSI target name; ${name} belongs to a device: give the device's name`);
  throw new CommandFailed(`no device named "${owner}" in the inventory (${lab.databasePath})`);
}

/** Why this credential does not fit the device's protocols, or null when it does. */
export function misfit(device: DeviceSummary, name: CredentialPurpose): string | null {
  const { snmp } = device;
  switch (name) {
    case 'xenapi-password':
      return device.xenapi ? null : `${device.name} has no XenAPI URL set, so there is nothing a XenAPI password would open; set its xenapi URL in the inventory first`;
    case 'dsm-password':
      return device.dsm ? null : `${device.name} has no DSM URL set, so there is nothing a DSM password would open; set its dsm URL in the inventory first`;
    case 'snmp-community':
      if (!snmp) return `${device.name} has no SNMP settings, so it takes no SNMP community; set snmp in the inventory first`;
      return snmp.version === 'v3' ? `${device.name} uses SNMPv3, which takes snmp-auth-key and snmp-priv-key, not a community` : null;
    case 'snmp-auth-key':
    case 'snmp-priv-key': {
      if (!snmp) return `${device.name} has no SNMP settings, so it takes no SNMPv3 key; set snmp in the inventory first`;
      if (snmp.version !== 'v3') return `${device.name} uses SNMP ${snmp.version}, which takes snmp-community, not SNMPv3 keys`;
      if (snmp.v3Level === 'noAuthNoPriv') return `${device.name}'s SNMPv3 level is noAuthNoPriv, which takes no keys`;
      if (name === 'snmp-priv-key' && snmp.v3Level === 'authNoPriv') return `${device.name}'s SNMPv3 level is authNoPriv, which takes an auth key but no privacy key`;
      return null;
    }
  }
}

function deviceSecret(lab: OpenLab, owner: string, name: CredentialPurpose, plain: string | null): string {
  const device = findDevice(lab, owner, name);
  const label = CREDENTIAL_LABELS[name];
  if (plain === null) {
    if (!device.credentials.includes(name)) return `${device.name} has no ${label} stored; nothing changed.\n`;
    clearCredential(lab.db, device.id, name);
    return `Cleared the ${label} of ${device.name}; its collector stops using it at its next re-read.\n`;
  }
  const problem = misfit(device, name);
  if (problem) throw new CommandFailed(problem);
  if (plain.length > MAX_DEVICE_SECRET) throw new CommandFailed(`the ${label} is ${plain.length} characters; at most ${MAX_DEVICE_SECRET}`);
  if ((name === 'snmp-auth-key' || name === 'snmp-priv-key') && plain.length < 8) throw new CommandFailed('SNMPv3 keys are at least 8 characters (RFC 3414)');
  setCredential(lab.db, lab.box, device.id, name, plain);
  // A pool's hosts are read through the pool: a host's own XenAPI password is kept, but not what gets polled.
  const hostNote = name === 'xenapi-password' && device.kind === 'xen-host' ? ` (${device.name} is read through its pool: the pool's password is the one polled)` : '';
  return `Stored the ${label} of ${device.name}, sealed (${lab.box.describe().description})${hostNote}.\n${DEVICE_PICKUP}\n`;
}

function targetSecret(lab: OpenLab, owner: string, name: TargetCredentialPurpose, plain: string | null): string {
  const targets = listTargets(lab.db);
  const target = targets.find((t) => t.iqn.toLowerCase() === owner.toLowerCase());
  const label = TARGET_CREDENTIAL_LABELS[name];
  if (!target) {
    const onDevice = targets.filter((t) => t.deviceName.toLowerCase() === owner.toLowerCase()).map((t) => t.iqn);
    if (onDevice.length) throw new CommandFailed(`${name} belongs to an iSCSI target: give its IQN as DEVICE (${owner} has ${onDevice.join(', ')})`);
    throw new CommandFailed(`no iSCSI target ${owner} in the inventory; ${name} takes a target's IQN as DEVICE`);
  }
  if (plain === null) {
    if (!target.credentials.includes(name)) return `${target.iqn} has no ${label} stored; nothing changed.\n`;
    clearTargetCredential(lab.db, target.id, name);
    return `Cleared the ${label} of ${target.iqn}; its portals are probed without it from the next sweep.\n`;
  }
  if (!target.chap) throw new CommandFailed(`${target.iqn} has no discovery CHAP set, so it takes no ${label}; set chap: {user: …} on the target first`);
  if (name === 'chap-target-secret' && target.chap.targetUser === '') {
    throw new CommandFailed(`${target.iqn} has no mutual CHAP target user, so it takes no ${label}; set chap.targetUser on the target first`);
  }
  if (plain.length > MAX_CHAP_SECRET) throw new CommandFailed(`the ${label} is ${plain.length} characters; at most ${MAX_CHAP_SECRET}`);
  if (plain.includes('\u0000')) throw new CommandFailed('a CHAP secret cannot hold a NUL character');
  const other = name === 'chap-secret' ? 'chap-target-secret' : 'chap-secret';
  let otherSecret: string | null = null;
  try {
    otherSecret = revealTargetCredential(lab.db, lab.box, target.id, other);
  } catch {
    // Sealed by another shell: it cannot be compared here, and storing this one does not need it.
  }
  if (otherSecret === plain) throw new CommandFailed('mutual CHAP needs a different secret each way (RFC 7143 §12.1.3)');
  setTargetCredential(lab.db, lab.box, target.id, name, plain);
  return `Stored the ${label} of ${target.iqn} (on ${target.deviceName}), sealed (${lab.box.describe().description}).\n${TARGET_PICKUP}\n`;
}

/** Whether some secret of this lab was sealed by another box (the desktop app's OS keychain). */
function sealedElsewhere(lab: OpenLab): boolean {
  const scheme = lab.box.scheme;
  return (
    listDevices(lab.db).some((d) => credentialsOf(lab.db, d.id).some((c) => c.scheme !== scheme)) ||
    listTargets(lab.db).some((t) => targetCredentialsOf(lab.db, t.id).some((c) => c.scheme !== scheme))
  );
}
