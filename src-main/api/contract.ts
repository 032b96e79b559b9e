/**
 * The one API contract. Every method: a runtime validator for its arguments (a zod tuple) and a result
 * type. The Electron shell, the WebSocket server and the CLI all call `dispatch` with it; the renderer
 * imports its types only. A method missing here does not exist anywhere.
 */
import { z } from 'zod';
import {
  Id,
  VlanId,
  DeviceInput,
  PortInput,
  LinkInput,
  VlanInput,
  VlanUpdate,
  TargetInput,
  ImportText,
  Fingerprint,
  RecoveryPointHours,
  FindingId,
  AcceptNote,
  TopologyPositions,
} from './schemas';
import { WhatIfTargets, PortRefInput, DeviceName } from './lab-schemas';
import type { MethodName } from './method-names';
import type {
  DeviceSummary,
  DeviceDetail,
  LinkDetail,
  VlanSummary,
  TargetDetail,
  DeleteImpact,
  InventoryCounts,
} from '../domain/model';
import type { FieldIssue } from '../domain/errors';
import type { Vocabulary } from '../domain/model/vocabulary';
import type { PoolObservation } from '../domain/model/pools';
import type { PollStatus } from '../domain/model/polling';
import type { PoolHealth } from '../domain/health/pool';
import type { SanView, ReplicationView } from '../domain/model/san';
import type { SwitchView } from '../domain/model/switches';
import type { Finding } from '../domain/audit/finding';
import type { LabLink, LabReplication, LinkSource, SourceState, DeviceHealth } from '../domain/graph/types';
import type { PortRow } from '../domain/graph/rows';
import type { Topology } from '../domain/graph/topology';
import type { HostRedundancy } from '../domain/graph/redundancy';
import type { WhatIfResult } from '../domain/whatif/whatif';
import type { DeviceKind } from '../domain/model/devices';

const none = z.tuple([]);

export const contract = {
  'app.info': none,
  'app.chooseStart': z.tuple([z.enum(['demo', 'empty'])]),
  'app.vocabulary': none,

  'devices.list': none,
  'devices.get': z.tuple([Id]),
  'devices.create': z.tuple([DeviceInput]),
  'devices.update': z.tuple([Id, DeviceInput]),
  'devices.deleteImpact': z.tuple([Id]),
  'devices.delete': z.tuple([Id]),
  'devices.exportCsv': none,
  'devices.importCsv': z.tuple([ImportText]),

  'ports.create': z.tuple([Id, PortInput]),
  'ports.update': z.tuple([Id, PortInput]),
  'ports.deleteImpact': z.tuple([Id]),
  'ports.delete': z.tuple([Id]),

  'links.list': none,
  'links.create': z.tuple([LinkInput]),
  'links.update': z.tuple([Id, LinkInput]),
  'links.delete': z.tuple([Id]),

  'vlans.list': none,
  'vlans.create': z.tuple([VlanInput]),
  'vlans.update': z.tuple([VlanId, VlanUpdate]),
  'vlans.deleteImpact': z.tuple([VlanId]),
  'vlans.delete': z.tuple([VlanId]),

  'targets.list': none,
  'targets.create': z.tuple([TargetInput]),
  'targets.update': z.tuple([Id, TargetInput]),
  'targets.deleteImpact': z.tuple([Id]),
  'targets.delete': z.tuple([Id]),

  'inventory.counts': none,
  'inventory.exportYaml': none,
  'inventory.checkYaml': z.tuple([ImportText]),
  'inventory.importYaml': z.tuple([ImportText]),
  'inventory.openDemo': none,

  'pools.list': none,
  'pools.get': z.tuple([Id]),
  'pools.acceptCertificate': z.tuple([Id, Fingerprint]),
  'pools.refresh': z.tuple([Id]),

  'storage.overview': none,
  'storage.probeNow': none,
  'storage.setRecoveryPoint': z.tuple([Id, RecoveryPointHours]),
  'storage.acceptCertificate': z.tuple([Id, Fingerprint]),

  'snmp.list': none,
  'snmp.device': z.tuple([Id]),
  'snmp.pollNow': z.tuple([Id]),

  'lab.overview': none,
  'lab.audit': none,
  'lab.ports': none,
  'lab.topology': none,
  'lab.whatIf': z.tuple([WhatIfTargets]),
  'lab.acceptLink': z.tuple([PortRefInput, PortRefInput]),
  'lab.adoptDevice': z.tuple([DeviceName]),
  'lab.adoptPorts': z.tuple([DeviceName]),
  'findings.accept': z.tuple([FindingId, AcceptNote]),
  'findings.unaccept': z.tuple([FindingId]),
  'topology.savePositions': z.tuple([TopologyPositions]),
  'topology.resetPositions': none,
} satisfies Record<MethodName, z.ZodTuple>;

// Both lists must name the same methods: the preload exposes METHOD_NAMES, dispatch accepts the contract's keys.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : never) : never;
const _namesMatch: Same<keyof typeof contract, MethodName> = true;
void _namesMatch;

export interface AppInfo {
  version: string;
  schemaVersion: number;
  databasePath: string;
  mode: 'desktop' | 'serve' | 'cli';
  /** How secrets are kept, for the settings line; `warning` when that is weak (Linux basic_text). */
  secrets: { scheme: string; description: string; warning?: string };
  /** True until the user picks "open the demo lab" or "start empty" on an empty inventory. */
  firstRun: boolean;
  labName: string;
}

export type { Vocabulary };

export interface Created {
  id: number;
}

export interface ImportSummary {
  counts: InventoryCounts;
  /** What the import replaced. */
  replaced: InventoryCounts;
  keptCredentials: number;
  droppedCredentials: number;
}

export interface YamlCheck {
  ok: boolean;
  counts: InventoryCounts | null;
  /** Problems with their line, e.g. "line 12, devices[2].address: …". */
  problems: { line: number | null; path: string; message: string }[];
  /** What importing would replace. */
  current: InventoryCounts;
}

export interface CsvImportSummary {
  added: number;
  updated: number;
}

export interface Results {
  'app.info': AppInfo;
  'app.chooseStart': AppInfo;
  'app.vocabulary': Vocabulary;
  'devices.list': DeviceSummary[];
  'devices.get': DeviceDetail;
  'devices.create': Created;
  'devices.update': void;
  'devices.deleteImpact': DeleteImpact;
  'devices.delete': void;
  'devices.exportCsv': string;
  'devices.importCsv': CsvImportSummary;
  'ports.create': Created;
  'ports.update': void;
  'ports.deleteImpact': DeleteImpact;
  'ports.delete': void;
  'links.list': LinkDetail[];
  'links.create': Created;
  'links.update': void;
  'links.delete': void;
  'vlans.list': VlanSummary[];
  'vlans.create': void;
  'vlans.update': void;
  'vlans.deleteImpact': DeleteImpact;
  'vlans.delete': void;
  'targets.list': TargetDetail[];
  'targets.create': Created;
  'targets.update': void;
  'targets.deleteImpact': DeleteImpact;
  'targets.delete': void;
  'inventory.counts': InventoryCounts;
  'inventory.exportYaml': string;
  'inventory.checkYaml': YamlCheck;
  'inventory.importYaml': ImportSummary;
  'inventory.openDemo': ImportSummary;
  'pools.list': PoolSummary[];
  'pools.get': PoolView;
  'pools.acceptCertificate': void;
  'pools.refresh': void;
  'storage.overview': StorageOverview;
  'storage.probeNow': void;
  'storage.setRecoveryPoint': void;
  'storage.acceptCertificate': void;
  'snmp.list': SnmpDeviceSummary[];
  'snmp.device': SnmpDeviceView;
  'snmp.pollNow': void;
  'lab.overview': LabOverview;
  'lab.audit': AuditDocument;
  'lab.ports': PortsDocument;
  'lab.topology': TopologyView;
  'lab.whatIf': WhatIfResult;
  'lab.acceptLink': { cableId: number; replaced: number; portsAdded: number };
  'lab.adoptDevice': Created;
  'lab.adoptPorts': { added: number };
  'findings.accept': void;
  'findings.unaccept': void;
  'topology.savePositions': void;
  'topology.resetPositions': void;
}

/** A device as the overview lists it: its health across every collector that reads it. */
export interface OverviewDevice {
  name: string;
  /** The inventory id, for its pages; null for a host only its pool reports (it can be adopted). */
  id: number | null;
  kind: DeviceKind;
  health: DeviceHealth;
  sources: SourceState[];
  /** The pool a host belongs to. */
  pool: string | null;
}

/** What the first screen shows: what is wrong (newest first within each severity), the devices, redundancy. */
export interface LabOverview {
  builtAt: string;
  buildMs: number;
  /** Open (not accepted) findings by severity, and how many are accepted. */
  counts: { error: number; warning: number; info: number; accepted: number };
  /** Every finding: open ones by severity, newest first within one; accepted ones last. */
  findings: Finding[];
  devices: OverviewDevice[];
  deviceCounts: Record<DeviceHealth, number>;
  redundancy: HostRedundancy[];
  replication: LabReplication[];
  /** What discovery found that the inventory lacks: hosts to adopt, links to accept as cables. */
  discovered: { hosts: string[]; links: number };
  /** Device name → inventory id, to link any name to its page. */
  deviceIds: Record<string, number>;
}

/** A link as the CLI's audit document lists it. */
export interface AuditLink {
  a: { device: string; port: string };
  b: { device: string; port: string };
  source: LinkSource;
  alsoSeenBy: LinkSource[];
  conflict: string | null;
  inInventory: boolean;
  evidence: string[];
}

/** `labwarden audit --json`: a stable contract (fields may be added, none renamed or removed). */
export interface AuditDocument {
  findings: Finding[];
  links: AuditLink[];
  summary: { devices: number; ports: number; links: number; errors: number; warnings: number; info: number; accepted: number };
  builtAt: string;
}

/** `labwarden ports --json`. */
export interface PortsDocument {
  ports: PortRow[];
  deviceIds: Record<string, number>;
  builtAt: string;
}

export interface TopologyView extends Topology {
  /** Positions the user dragged nodes to (the rest are laid out). */
  positions: Record<string, { x: number; y: number }>;
  deviceIds: Record<string, number>;
  /** The lab's iSCSI portals (the inventory's and those only a PBD names), for what-if. */
  portals: { key: string; device: string | null; state: string }[];
  builtAt: string;
}

/** A device polled over SNMP, for lists: its status and a few counts. */
export interface SnmpDeviceSummary {
  deviceId: number;
  name: string;
  kind: string;
  status: PollStatus;
  /** e.g. "demo lab: answered by Labwarden's built-in SNMP responder replaying procurve.snmprec". */
  note: string | null;
  observedAt: string | null;
  ports: number;
  portsUp: number;
  lags: number;
  polling: boolean;
}

/** One device's SNMP view for its page: the port table, LAGs, VLANs, neighbours, NAS health. */
export interface SnmpDeviceView extends SnmpDeviceSummary {
  view: SwitchView | null;
}

/** The storage side at a glance: each SAN's targets, LUNs, SRs and paths; each NAS's replication. */
export interface StorageOverview {
  sans: SanView[];
  replication: (ReplicationView & { status: PollStatus; note: string | null; url: string })[];
  /** A probe sweep is running now. */
  probing: boolean;
  lastProbeAt: string | null;
}

/** A XenServer pool in the pool list: its status and what needs a look. */
export interface PoolSummary {
  deviceId: number;
  name: string;
  url: string;
  status: PollStatus;
  /** e.g. "demo: answered by Labwarden's built-in XenAPI simulator". */
  note: string | null;
  observedAt: string | null;
  hosts: number;
  bondsDegraded: number;
  pathsRed: number;
}

/** One pool as the pool and storage pages show it: the last observation, judged. */
export interface PoolView extends PoolSummary {
  observation: PoolObservation | null;
  health: PoolHealth | null;
}

export type { PoolObservation, PollStatus, PoolHealth, SanView, ReplicationView, SwitchView, Finding, PortRow, LabLink, HostRedundancy, WhatIfResult };

const _resultsMatch: Same<keyof Results, MethodName> = true;
void _resultsMatch;

export type Args<M extends MethodName> = z.input<(typeof contract)[M]>;
export type ParsedArgs<M extends MethodName> = z.output<(typeof contract)[M]>;

/** What a caller (renderer, CLI, test) sees. */
export type Api = { [M in MethodName]: (...args: Args<M>) => Promise<Results[M]> };

/** What the main process implements; arguments arrive validated. */
export type Handlers = { [M in MethodName]: (...args: ParsedArgs<M>) => Results[M] | Promise<Results[M]> };

/** Pushed from the main process to every window or socket. */
export interface AppEvents {
  /** Something in the inventory changed (by this or another window): views reload what they show. */
  'inventory.changed': { method: MethodName };
  /** A pool's observation or polling status changed: its pages reload it. */
  'pool.changed': { deviceId: number };
  /** A SAN's probes or a NAS's DSM reading changed, or a probe sweep started or ended (deviceId null). */
  'storage.changed': { deviceId: number | null };
  /** A device's SNMP poll finished (observation or status changed). */
  'snmp.changed': { deviceId: number };
  /** The lab graph was rebuilt and re-audited after a change: the overview, ports and topology reload. */
  'lab.changed': { builtAt: string; errors: number; warnings: number; info: number };
}
export type EventName = keyof AppEvents;

export type ErrorCode = 'unknown-method' | 'bad-arguments' | 'invalid' | 'not-found' | 'conflict' | 'internal';

export interface ApiErrorBody {
  code: ErrorCode;
  message: string;
  /** Field problems; `arg` is the argument's position, `path` the field inside it. */
  issues?: (FieldIssue & { arg?: number })[];
}

/** The wire shape of every answer, on IPC and WebSocket alike. */
export type Envelope<T = unknown> = { ok: true; result: T } | { ok: false; error: ApiErrorBody };
