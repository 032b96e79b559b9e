/**
 * Runtime validators for everything that crosses into the main process: API arguments from the UI or a
 * socket, and the documents of an import. Field rules come from domain/checks so every path agrees.
 */
import { z } from 'zod';
import { checkAddress, checkManagementUrl, normaliseMac, normalizeFingerprint } from '../domain/checks/addresses';
import { checkIscsiName } from '../domain/checks/iscsi';
import { protocolIssues, portVlanIssues, stackIssue } from '../domain/checks/rules';
import {
  DEVICE_KINDS,
  SNMP_VERSIONS,
  SNMP_SECURITY_LEVELS,
  SNMP_AUTH_PROTOCOLS,
  SNMP_PRIV_PROTOCOLS,
  DEFAULT_SNMP,
} from '../domain/model/devices';
import { CREDENTIAL_PURPOSES, CREDENTIAL_PROTOCOL, CREDENTIAL_LABELS } from '../domain/model/credentials';
import { PORT_ROLES } from '../domain/model/ports';
import { LINK_SOURCES } from '../domain/model/links';
import { VLAN_PURPOSES, VLAN_MIN, VLAN_MAX } from '../domain/model/vlans';
import { LUN_USES, LUN_MAX, ISCSI_DEFAULT_PORT, TARGET_CREDENTIAL_PURPOSES, TARGET_CREDENTIAL_LABELS, targetCredentialWanted } from '../domain/model/storage';
import type { FieldIssue } from '../domain/errors';

/** Adds domain issues (paths relative to the value) to a zod refinement context. */
function report(ctx: z.RefinementCtx, issues: FieldIssue[]): void {
  for (const issue of issues) ctx.addIssue({ code: 'custom', message: issue.message, path: issue.path });
}

function checkedString(check: (value: string) => string | null) {
  return z.string().superRefine((value, ctx) => {
    const message = check(value);
    if (message) ctx.addIssue({ code: 'custom', message });
  });
}

const NO_CONTROL = /^[^\u0000-\u001f\u007f]*$/;

export const text = (max: number) =>
  z.string().max(max, `at most ${max} characters`).default('');

export const name = (max = 64) =>
  z
    .string()
    .trim()
    .min(1, 'a name is required')
    .max(max, `at most ${max} characters`)
    .regex(NO_CONTROL, 'control characters (tabs, line breaks) are not allowed in a name');

export const Id = z.number().int().positive();
export const PortNumber = z.number().int().min(1, 'a port number is 1–65535').max(65535, 'a port number is 1–65535');
export const VlanId = z
  .number()
  .int('a VLAN id is a whole number')
  .min(VLAN_MIN, `a VLAN id is ${VLAN_MIN}–${VLAN_MAX}`)
  .max(VLAN_MAX, `a VLAN id is ${VLAN_MIN}–${VLAN_MAX}`);
export const Address = checkedString(checkAddress);

export const Snmp = z.strictObject({
  version: z.enum(SNMP_VERSIONS).default(DEFAULT_SNMP.version),
  port: PortNumber.default(DEFAULT_SNMP.port),
  v3User: z.string().max(32, 'at most 32 characters').default(''),
  v3Level: z.enum(SNMP_SECURITY_LEVELS).default(DEFAULT_SNMP.v3Level),
  v3AuthProtocol: z.enum(SNMP_AUTH_PROTOCOLS).default(DEFAULT_SNMP.v3AuthProtocol),
  v3PrivProtocol: z.enum(SNMP_PRIV_PROTOCOLS).default(DEFAULT_SNMP.v3PrivProtocol),
});

/** A certificate fingerprint the user accepts, in any common spelling; stored as AB:CD:…. */
export const Fingerprint = z.string().transform((value, ctx) => {
  const normal = normalizeFingerprint(value);
  if (normal === null) {
    ctx.addIssue({ code: 'custom', message: 'a SHA-256 fingerprint is 32 hex bytes, e.g. AB:CD:…' });
    return z.NEVER;
  }
  return normal;
});

/** The age a NAS's newest replica may reach before it is late: an hour to a month. */
export const RecoveryPointHours = z
  .number()
  .int('whole hours')
  .min(1, 'at least 1 hour')
  .max(720, 'at most 720 hours (30 days)');

const endpoint = (what: string) =>
  z.strictObject({
    url: checkedString((value) => checkManagementUrl(value, what)),
    username: z.string().max(64, 'at most 64 characters').default(''),
    fingerprint: Fingerprint.optional(),
  });
export const XenApiEndpoint = endpoint('XenAPI');
export const DsmEndpoint = endpoint('DSM');

/** The fields shared by the API's device input and the import document (which names its pool instead). */
export const deviceShape = {
  name: name(),
  kind: z.enum(DEVICE_KINDS),
  address: Address,
  vendor: text(64),
  model: text(64),
  location: text(128),
  notes: text(4000),
  /** A switch's stack ('' none); only switches may name one (stackIssue). */
  stack: z
    .string()
    .trim()
    .max(64, 'at most 64 characters')
    .regex(NO_CONTROL, 'control characters (tabs, line breaks) are not allowed in a stack name')
    .default(''),
  snmp: Snmp.nullable().default(null),
  xenapi: XenApiEndpoint.nullable().default(null),
  dsm: DsmEndpoint.nullable().default(null),
};

const Secrets = z
  .partialRecord(z.enum(CREDENTIAL_PURPOSES), z.string().min(1, 'leave it empty to keep the stored value').max(1024).nullable())
  .default({});

/** Device as the forms send it. `secrets`: a string sets a credential, null clears it, absent keeps it. */
export const DeviceInput = z
  .strictObject({ ...deviceShape, memberOf: Id.nullable().default(null), secrets: Secrets })
  .superRefine((device, ctx) => {
    report(ctx, protocolIssues(device));
    const stack = stackIssue(device);
    if (stack) report(ctx, [stack]);
    for (const [purpose, value] of Object.entries(device.secrets) as [keyof typeof CREDENTIAL_PROTOCOL, string | null][]) {
      if (value === null) continue;
      const protocol = CREDENTIAL_PROTOCOL[purpose];
      if (device[protocol] === null) {
        report(ctx, [{ path: ['secrets', purpose], message: `${CREDENTIAL_LABELS[purpose]} given, but ${protocol.toUpperCase()} is not enabled` }]);
      } else if ((purpose === 'snmp-auth-key' || purpose === 'snmp-priv-key') && value.length < 8) {
        report(ctx, [{ path: ['secrets', purpose], message: 'SNMPv3 keys are at least 8 characters (RFC 3414)' }]);
      }
    }
  });

const Mac = z.string().transform((value, ctx) => {
  if (value.trim() === '') return '';
  const mac = normaliseMac(value);
  if (mac === null) {
    ctx.addIssue({ code: 'custom', message: `"${value}" is not a MAC address (six hex pairs, like 00:1b:21:3a:4f:10)` });
    return z.NEVER;
  }
  return mac;
});

export const portShape = {
  name: name(64),
  role: z.enum(PORT_ROLES),
  aggregate: z.string().trim().max(32, 'at most 32 characters').regex(NO_CONTROL, 'control characters are not allowed').default(''),
  mac: Mac.default(''),
  untaggedVlan: VlanId.nullable().default(null),
  taggedVlans: z.array(VlanId).max(VLAN_MAX).default([]),
  notes: text(4000),
};
export const PortInput = z.strictObject(portShape).superRefine((port, ctx) => report(ctx, portVlanIssues(port)));

export const LinkInput = z.strictObject({
  aPortId: Id,
  bPortId: Id,
  source: z.enum(LINK_SOURCES).default('manual'),
  notes: text(4000),
});

export const vlanShape = {
  id: VlanId,
  name: name(32),
  purpose: z.enum(VLAN_PURPOSES),
  notes: text(4000),
};
export const VlanInput = z.strictObject(vlanShape);
export const VlanUpdate = z.strictObject({ name: vlanShape.name, purpose: vlanShape.purpose, notes: vlanShape.notes });

export const Portal = z.strictObject({ address: Address, port: PortNumber.default(ISCSI_DEFAULT_PORT) });

/** A LUN's SCSI id as XenServer shows it (PBD device_config SCSIid); compared without regard to case. */
export const ScsiId = z
  .string()
  .trim()
  .max(128, 'at most 128 characters')
  .regex(/^[0-9A-Za-z._:-]*$/, 'a SCSI id is letters and digits as XenServer shows it (SCSIid), like 36001405194731d05d28b3bfb8b985cb')
  .default('');

export const lunShape = {
  lun: z.number().int('a LUN number is a whole number').min(0, `a LUN number is 0–${LUN_MAX}`).max(LUN_MAX, `a LUN number is 0–${LUN_MAX}`),
  name: text(64),
  use: z.enum(LUN_USES).default('vm-storage'),
  scsiId: ScsiId,
};
export const SizeBytes = z.number().int('a size is a whole number of bytes').positive('a size must be more than 0').max(Number.MAX_SAFE_INTEGER);
export const Lun = z.strictObject({ ...lunShape, sizeBytes: SizeBytes });

export const IscsiName = checkedString(checkIscsiName);

/** A CHAP name (CHAP_N): what the SAN's account is called; RFC 7143 §12.1.3 leaves it free text. */
const chapName = (required: boolean) =>
  z
    .string()
    .trim()
    .min(required ? 1 : 0, 'a CHAP user name is required')
    .max(255, 'at most 255 characters')
    .regex(NO_CONTROL, 'control characters are not allowed in a CHAP name');

/** Discovery CHAP names; the secrets come as `secrets` and are stored sealed, never with these. */
export const DiscoveryChapInput = z.strictObject({ user: chapName(true), targetUser: chapName(false).default('') });

export const targetShape = {
  iqn: IscsiName,
  alias: text(64),
  notes: text(4000),
  chap: DiscoveryChapInput.nullable().default(null),
};

/** The same SCSI id on two LUNs of one target is a typing mistake: each LUN has its own. */
export function lunScsiIdIssues(luns: readonly { lun: number; scsiId: string }[]): FieldIssue[] {
  const seen = new Map<string, number>();
  const issues: FieldIssue[] = [];
  luns.forEach((lun, index) => {
    if (lun.scsiId === '') return;
    const key = lun.scsiId.toLowerCase();
    const first = seen.get(key);
    if (first !== undefined) issues.push({ path: ['luns', index, 'scsiId'], message: `LUN ${first} has this SCSI id already` });
    else seen.set(key, lun.lun);
  });
  return issues;
}

const TargetSecrets = z
  .partialRecord(
    z.enum(TARGET_CREDENTIAL_PURPOSES),
    z
      .string()
      .min(1, 'leave it empty to keep the stored value')
      .max(255, 'at most 255 characters')
      .regex(/^[^\u0000]*$/, 'a CHAP secret cannot hold a NUL character')
      .nullable(),
  )
  .default({});

/**
 * A target as the form sends it. `secrets` works like a device's: a string sets one, null clears it, absent
 * keeps it; a secret whose CHAP setting is off is refused here and dropped when the setting goes.
 */
export const TargetInput = z
  .strictObject({
    ...targetShape,
    deviceId: Id,
    portals: z.array(Portal).min(1, 'a target needs at least one portal (address:port)').max(32, 'at most 32 portals'),
    luns: z.array(Lun).max(1024, 'at most 1024 LUNs'),
    secrets: TargetSecrets,
  })
  .superRefine((target, ctx) => {
    report(ctx, lunScsiIdIssues(target.luns));
    for (const purpose of TARGET_CREDENTIAL_PURPOSES) {
      if (typeof target.secrets[purpose] !== 'string' || targetCredentialWanted(purpose, target.chap)) continue;
      const why = target.chap === null ? 'discovery CHAP is off' : 'mutual CHAP has no target user name';
      report(ctx, [{ path: ['secrets', purpose], message: `${TARGET_CREDENTIAL_LABELS[purpose]} given, but ${why}` }]);
    }
    const { 'chap-secret': secret, 'chap-target-secret': targetSecret } = target.secrets;
    if (typeof secret === 'string' && secret === targetSecret) {
      report(ctx, [{ path: ['secrets', 'chap-target-secret'], message: 'mutual CHAP needs a different secret each way (RFC 7143 §12.1.3)' }]);
    }
  });

/** Cap on imported documents: a lab inventory is kilobytes; megabytes mean a wrong file. */
export const MAX_IMPORT_BYTES = 5 * 1024 * 1024;
export const ImportText = z.string().max(MAX_IMPORT_BYTES, `an import is at most ${MAX_IMPORT_BYTES / 1024 / 1024} MB`);

/** A finding's id as the audit makes it (`spof.storage-single-path:xen1:VM store`): printable text, compared exactly. */
export const FindingId = z
  .string()
  .min(1, 'a finding id is required')
  .max(300, 'a finding id is at most 300 characters')
  .regex(NO_CONTROL, 'a finding id has no control characters');

/** The owner's note when accepting a finding (why this single point of failure is fine for now). */
export const AcceptNote = z.string().max(2000, 'at most 2000 characters').default('');

export const MAX_TOPOLOGY_NODES = 5000;
const Coordinate = z.number('a coordinate is a number').min(-1e7, 'a coordinate is within ±10,000,000').max(1e7, 'a coordinate is within ±10,000,000');

/**
 * Where the user dragged topology nodes: node id → {x, y}. The count and the ids are checked before any
 * position, so a huge map is refused without walking it, and a bad id is named (as the path) in the message.
 */
export const TopologyPositions = z
  .record(z.string(), z.unknown())
  .superRefine((positions, ctx) => {
    const nodes = Object.keys(positions);
    if (nodes.length > MAX_TOPOLOGY_NODES) {
      ctx.addIssue({ code: 'custom', message: `at most ${MAX_TOPOLOGY_NODES} node positions at once` });
      return;
    }
    for (const node of nodes) {
      if (node === '') ctx.addIssue({ code: 'custom', path: [node], message: 'a node id is required' });
      else if (node.length > 200) ctx.addIssue({ code: 'custom', path: [node], message: 'a node id is at most 200 characters' });
    }
  })
  .pipe(z.record(z.string(), z.strictObject({ x: Coordinate, y: Coordinate })));
