/**
 * What the graph is built from: the inventory (the plan) and the last observation of every device by every
 * collector (the truth), with each collector's status. The layers above assemble it (from the running
 * collectors, or from the store when none run); everything below is pure.
 */
import type { Inventory } from '../model/inventory';
import type { PoolObservation } from '../model/pools';
import type { SwitchView } from '../model/switches';
import type { PortalProbe } from '../model/san';
import type { NasObservation } from '../model/nas';
import type { PollStatus } from '../model/polling';

export interface SnapshotPool {
  /** The pool device's inventory name. */
  device: string;
  observation: PoolObservation | null;
  status: PollStatus | null;
}

export interface SnapshotSnmp {
  device: string;
  view: SwitchView | null;
  status: PollStatus | null;
}

export interface SnapshotProbes {
  /** The SAN or NAS device whose targets the probes are of. */
  device: string;
  /** The latest probe of each portal ('address:port'); CHAP probes of one target count for that target. */
  probes: PortalProbe[];
}

export interface SnapshotNas {
  device: string;
  observation: NasObservation | null;
  status: PollStatus | null;
  recoveryPointHours: number;
}

export interface LabSnapshot {
  /** ISO time the snapshot stands for (ages and staleness are measured against it). */
  at: string;
  inventory: Inventory;
  pools: SnapshotPool[];
  snmp: SnapshotSnmp[];
  probes: SnapshotProbes[];
  nases: SnapshotNas[];
}
