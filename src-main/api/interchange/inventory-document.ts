/**
 * The YAML document's schema. It differs from the API's inputs only where a hand-edited file should be
 * friendlier: pools, devices and ports are named instead of numbered, sizes are written "10 GB",
 * portals "10.0.20.20:3260", and names that look like numbers (switch port 1) may be left unquoted.
 */
import { z } from 'zod';
import {
  deviceShape,
  portShape,
  vlanShape,
  lunShape,
  targetShape,
  name,
  text,
  Address,
  PortNumber,
  DiscoveryChapInput,
  lunScsiIdIssues,
  FindingId,
  AcceptNote,
} from '../schemas';
import { INVENTORY_FORMAT } from '../../domain/model/inventory';
import { parseSize } from '../../domain/checks/sizes';
import { ISCSI_DEFAULT_PORT } from '../../domain/model/storage';
import { LINK_SOURCES } from '../../domain/model/links';
import { protocolIssues, portVlanIssues, stackIssue } from '../../domain/checks/rules';

const numbersAsText = (value: unknown) => (typeof value === 'number' ? String(value) : value);
const textLike = <T extends z.ZodType>(schema: T) => z.preprocess(numbersAsText, schema);

const list = <T extends z.ZodType>(item: T, max: number) =>
  z.array(item).max(max, `at most ${max} entries`).nullable().default([]).transform((v) => v ?? []);

const Port = z
  .strictObject({
    ...portShape,
    name: textLike(name(64)),
    aggregate: textLike(portShape.aggregate),
    notes: textLike(portShape.notes),
    taggedVlans: portShape.taggedVlans.nullable().transform((v) => v ?? []),
  })
  .superRefine((port, ctx) => {
    for (const issue of portVlanIssues(port)) ctx.addIssue({ code: 'custom', message: issue.message, path: issue.path });
  });

const Device = z
  .strictObject({
    ...deviceShape,
    name: textLike(name()),
    vendor: textLike(deviceShape.vendor),
    model: textLike(deviceShape.model),
    location: textLike(deviceShape.location),
    notes: textLike(deviceShape.notes),
    memberOf: textLike(name()).nullable().default(null),
    stack: textLike(deviceShape.stack),
    ports: list(Port, 1024),
  })
  .superRefine((device, ctx) => {
    for (const issue of protocolIssues(device)) ctx.addIssue({ code: 'custom', message: issue.message, path: issue.path });
    const stack = stackIssue(device);
    if (stack) ctx.addIssue({ code: 'custom', message: stack.message, path: stack.path });
  });

const PortRef = z.strictObject({ device: textLike(name()), port: textLike(name(64)) });

const Link = z.strictObject({
  a: PortRef,
  b: PortRef,
  source: z.enum(LINK_SOURCES).default('manual'),
  notes: textLike(text(4000)),
});

const Vlan = z.strictObject({ ...vlanShape, name: textLike(vlanShape.name), notes: textLike(vlanShape.notes) });

/** "10.0.20.20:3260", "[fe80::1]:3260", "san.lab" (port 3260), or {address, port}. */
const Portal = z.union([
  z.string().transform((value, ctx) => {
    const match = /^\[([^\]]+)\](?::(\d+))?$/.exec(value) ?? /^([^:\s]+)(?::(\d+))?$/.exec(value);
    const address = match?.[1] ?? '';
    const port = match?.[2] === undefined ? ISCSI_DEFAULT_PORT : Number(match[2]);
    const addressOk = Address.safeParse(address);
    if (!match || !addressOk.success) {
      ctx.addIssue({ code: 'custom', message: `"${value}" is not a portal; write address:port, like 10.0.20.20:3260` });
      return z.NEVER;
    }
    if (!PortNumber.safeParse(port).success) {
      ctx.addIssue({ code: 'custom', message: `port ${port} in "${value}" is outside 1–65535` });
      return z.NEVER;
    }
    return { address, port };
  }),
  z.strictObject({ address: Address, port: PortNumber.default(ISCSI_DEFAULT_PORT) }),
]);

const Lun = z
  .strictObject({
    ...lunShape,
    name: textLike(lunShape.name),
    scsiId: textLike(lunShape.scsiId),
    size: z.union([z.string(), z.number()]),
  })
  .transform(({ size, ...lun }, ctx) => {
    const bytes = parseSize(size);
    if (typeof bytes === 'string') {
      ctx.addIssue({ code: 'custom', message: bytes, path: ['size'] });
      return z.NEVER;
    }
    return { ...lun, sizeBytes: bytes };
  });

/** Discovery CHAP names only: secrets are never in a file, and importing keeps those stored for the IQN. */
const Chap = z.strictObject({
  user: textLike(DiscoveryChapInput.shape.user),
  targetUser: textLike(DiscoveryChapInput.shape.targetUser),
});

const Target = z
  .strictObject({
    ...targetShape,
    alias: textLike(targetShape.alias),
    notes: textLike(targetShape.notes),
    chap: Chap.nullable().default(null),
    device: textLike(name()),
    portals: z.array(Portal).min(1, 'a target needs at least one portal (address:port)').max(32),
    luns: list(Lun, 1024),
  })
  .superRefine((target, ctx) => {
    for (const issue of lunScsiIdIssues(target.luns)) ctx.addIssue({ code: 'custom', message: issue.message, path: issue.path });
  });

/** A finding the owner accepted: its id and their note. Ids are unique (domain/checks/inventory.ts). */
const AcceptedFinding = z.strictObject({ id: textLike(FindingId), note: textLike(AcceptNote) });

export const InventoryDocument = z.strictObject({
  format: z
    .number()
    .int()
    .min(1)
    .max(INVENTORY_FORMAT, `this file was written by a newer Labwarden (format newer than ${INVENTORY_FORMAT}); update Labwarden to import it`)
    .default(INVENTORY_FORMAT)
    .transform(() => INVENTORY_FORMAT),
  name: textLike(text(128)),
  vlans: list(Vlan, 4094),
  devices: list(Device, 5000),
  links: list(Link, 50_000),
  targets: list(Target, 5000),
  acceptedFindings: list(AcceptedFinding, 10_000),
});
