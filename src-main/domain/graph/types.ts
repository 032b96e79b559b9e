/**
 * The lab as one graph: every device of the inventory and every host the pools report, every port at both
 * ends of its cable, the bonds and LAGs over them, the VLANs they carry, the pool networks, the SRs and the
 * storage paths under them, the links between ports with the evidence for each, and the failure domains the
 * no-single-point-of-failure audit reasons about.
 *
 * Built by build.ts from a LabSnapshot (the inventory, the plan, plus each collector's last observation, the
 * truth). Every part says where it came from: `plan` is the inventory's intent, `obs` what a device reported,
 * and null means nobody said; a port without an observation is never taken as healthy.
 */
import type { DeviceKind } from '../model/devices';
import type { PortRole } from '../model/ports';
import type { BondMode } from '../model/pools';
import type { LacpState } from '../model/switches';

/** `device:port`, the one way a port (or a bond, a LAG) is named across the app, the CLI and the findings. */
export type PortKey = string;

export const portKey = (device: string, port: string): PortKey => `${device}:${port}`;

/** Which collector a fact came from. */
export type ObservationSource = 'xenapi' | 'snmp' | 'iscsi' | 'dsm';

export interface SourceState {
  source: ObservationSource;
  /** The collector's state word (ok, unreachable, auth-failed, idle, …); 'none' when nothing polls it. */
  state: string;
  message: string;
  observedAt: string | null;
  /** The last good observation is older than three poll intervals. */
  stale: boolean;
}

export type DeviceHealth = 'up' | 'stale' | 'unreachable' | 'not-polled';

export interface LabDevice {
  name: string;
  kind: DeviceKind;
  /** Whether the inventory has it; a host only a pool reports can be adopted. */
  inInventory: boolean;
  address: string;
  /** For a host, the pool device it belongs to. */
  pool: string | null;
  /** The stack the inventory puts this switch in ('' none). Switches of one stack form one logical switch. */
  stack: string;
  sources: SourceState[];
  /** Up when every source answers, stale or unreachable when one does not, not-polled when none is set up. */
  health: DeviceHealth;
  /** A collector reported this device's ports (the pool for a host, SNMP for the rest): missing ports are drift. */
  reported: boolean;
  /** That report is older than three poll intervals. */
  stale: boolean;
  /** Members a single agent reports in ENTITY-MIB (a stack behind one address); empty for one chassis. */
  stackMembers: { index: number; name: string }[];
}

export type PortKind = 'host-nic' | 'switch-port' | 'san-port' | 'nas-port' | 'host-port';

/** What the inventory plans for a port. */
export interface PortPlan {
  role: PortRole;
  aggregate: string;
  mac: string;
  untaggedVlan: number | null;
  taggedVlans: number[];
}

/** What a device reported about a port, normalised across XenAPI and SNMP. */
export interface PortObservation {
  source: 'xenapi' | 'snmp';
  at: string;
  stale: boolean;
  /** Link (carrier / ifOperStatus); null when the device did not say. */
  up: boolean | null;
  adminUp: boolean | null;
  speedMbps: number | null;
  duplex: 'full' | 'half' | null;
  mtu: number | null;
  mac: string;
  ifIndex: number | null;
  ifType: number | null;
  /** The NIC's PCI address (host NICs), '' when unknown. */
  pciBusPath: string;
  /** The bond (host) or LAG (switch) this port is a member of, by name; null for none. */
  aggregate: string | null;
  /** VLANs sent tagged: on a switch port its egress − untagged set, on a host NIC the VLAN interfaces on it or its bond. */
  tagged: number[];
  /** A switch port's untagged VLAN (its untagged membership, else its PVID); null on a host NIC or when none. */
  untagged: number | null;
  pvid: number | null;
  /** Host NICs: untagged traffic is in use (an address or the management interface on it or its bond). */
  untaggedInUse: boolean;
  /** Host NICs: its or its bond's address. */
  ip: string;
  netmask: string;
  gateway: string;
  management: boolean;
  disallowUnplug: boolean;
  /** Host NICs: the pool network its untagged traffic is on. */
  network: string;
  /** Switch LAG members: the LACP state the switch reports. */
  lacp: { actor: LacpState | null; partner: LacpState | null; partnerSystem: string; attached: boolean | null } | null;
  /** Which member of a stack the port sits on, when the agent says. */
  stackMember: number | null;
}

export interface LabPort {
  key: PortKey;
  device: string;
  name: string;
  kind: PortKind;
  /** A physical port (a NIC, a switch port): what cables plug into. Bond and LAG interfaces are not. */
  physical: boolean;
  /** The inventory's role, else what the observation suggests (management, storage, bond member → vm), else null. */
  role: PortRole | null;
  plan: PortPlan | null;
  obs: PortObservation | null;
  /** Names the devices' tables also use for this port (ifName, ifDescr, ifAlias, its number), for matching neighbours. */
  aliases: string[];
}

export interface LabBond {
  key: PortKey;
  host: string;
  device: string;
  mode: BondMode | null;
  members: PortKey[];
  /** Links up as the host counts them; null before XenServer 6.1. */
  linksUp: number | null;
  /** Members with carrier, from the members' own link state (what-if lowers it); null when unknown. */
  membersUp: number | null;
  mac: string;
  /** VLAN tags of the VLAN interfaces on the bond. */
  tagged: number[];
  management: boolean;
  ip: string;
  netmask: string;
  planned: boolean;
  observed: boolean;
  /** The host's network backend (LACP needs openvswitch). */
  networkBackend: string;
}

export interface LagMemberState {
  port: PortKey;
  up: boolean | null;
  /** LACP collecting and distributing; null when the switch reports no LACP state. */
  collecting: boolean | null;
  attached: boolean | null;
  partnerSystem: string;
}

export interface LabLag {
  key: PortKey;
  device: string;
  name: string;
  ifIndex: number | null;
  members: PortKey[];
  memberStates: LagMemberState[];
  /** 'lacp' when the switch reports LACP state for its members, 'static' when it says so, else null. */
  protocol: 'lacp' | 'static' | 'pagp' | null;
  /** VLANs of the LAG interface itself (many switches keep membership on the aggregate). */
  tagged: number[];
  untagged: number | null;
  planned: boolean;
  observed: boolean;
}

export type LinkSource = 'lldp' | 'lacp' | 'fdb' | 'cable';

/** Trust order: LLDP seen from either side, LACP partner data, the forwarding table, the inventory's cable. */
export const LINK_SOURCE_ORDER: readonly LinkSource[] = ['lldp', 'lacp', 'fdb', 'cable'];

export interface LabLink {
  /** Interface keys: physical ports, or a bond and a LAG where only the aggregate is known (FDB, LACP). */
  a: PortKey;
  b: PortKey;
  source: LinkSource;
  alsoSeenBy: LinkSource[];
  /** What another source says instead about one of these ends, e.g. "cable: sw-a:24 ↔ sw-b:eth1/0/24"; null when none disagrees. */
  conflict: string | null;
  evidence: string[];
  /** The inventory has this cable. */
  inInventory: boolean;
}

export interface NetworkUse {
  host: string;
  /** The host interface carrying it: a NIC or bond device, with the VLAN tag when it is a VLAN interface. */
  on: string;
  tag: number | null;
}

export interface LabNetwork {
  key: string;
  pool: string;
  name: string;
  bridge: string;
  mtu: number | null;
  /** No interface on any host: a private network between VMs (as labs keep for a pipeline), never a missing uplink. */
  private: boolean;
  /** The host-internal management network, left out of audits. */
  internal: boolean;
  /** Hosts with any interface on it (bond members' own networks included). */
  hosts: string[];
  /** The interfaces that carry it (bond members left out: their bond carries the bond's network). */
  uses: NetworkUse[];
}

export interface SrHostState {
  host: string;
  /** The portals this host's PBD names (device_config target and multihomelist); empty for other SR types. */
  portals: string[];
  attached: boolean;
  multipathed: boolean;
  activePaths: number | null;
  totalPaths: number | null;
  iscsiSessions: number | null;
}

export interface LabSr {
  key: string;
  pool: string;
  uuid: string;
  name: string;
  type: string;
  shared: boolean;
  multipathCapable: boolean;
  haHeartbeat: boolean;
  /** The iSCSI target and portals the PBDs name (first attachment with a target); null for other SR types. */
  target: { iqn: string; portals: string[] } | null;
  hosts: SrHostState[];
}

export type PortalState = 'up' | 'refuses-discovery' | 'down' | 'unknown';

export interface LabPortal {
  /** address:port */
  key: string;
  address: string;
  port: number;
  /** The SAN or NAS device the inventory puts it on; null when only a PBD names it. */
  device: string | null;
  iqns: string[];
  state: PortalState;
  message: string;
  /** The device's ports that carry it (by address where the device reports one, else its storage ports). */
  ports: PortKey[];
}

export type PathState = 'up' | 'down' | 'unknown';

/** One iSCSI path: a host interface on a portal's subnet to that portal, for one SR. */
export interface LabPath {
  key: string;
  host: string;
  sr: string;
  /** The host interface with the address (eth3, bond1, or a VLAN interface's device). */
  interface: string;
  ip: string;
  portal: string;
  /** The physical host NICs the path can leave by (a bond's members, the VLAN's device). */
  legs: PortKey[];
  state: PathState;
  /** Every failure domain whose loss alone cuts this path (the portal, a NIC it cannot avoid, a switch every way crosses). */
  domains: string[];
  /**
   * The ways the path can run (each leg × each SAN port, with the switches between), each as the failure
   * domains it crosses: the path survives a loss while one way avoids it. Common domains (host, portal, SAN) are in `domains`.
   */
  ways: string[][];
}

export type FailureDomainKind = 'switch' | 'stack-member' | 'nic-controller' | 'port' | 'portal' | 'host' | 'device';

export interface FailureDomain {
  id: string;
  kind: FailureDomainKind;
  label: string;
  device: string | null;
}

export interface LabVlan {
  id: number;
  name: string;
  planned: boolean;
  /** Devices that carry it, by what they reported or planned. */
  devices: string[];
}

export interface LabHost {
  name: string;
  pool: string;
  multipathing: boolean;
  multipathHandle: string;
  networkBackend: string;
  product: string;
  /** The host interface that carries management (eth0, bond0), and its VLAN tag when it is a VLAN interface. */
  management: { on: string; tag: number | null } | null;
  live: boolean | null;
  /** Every interface with an address (NIC, bond or VLAN interface), with the physical NICs it leaves by. */
  addresses: HostAddress[];
}

export interface HostAddress {
  /** eth3, bond0, or eth1.20 for VLAN 20 on eth1. */
  interface: string;
  tag: number | null;
  ip: string;
  netmask: string;
  gateway: string;
  management: boolean;
  disallowUnplug: boolean;
  mtu: number | null;
  legs: PortKey[];
  network: string;
}

export interface LabPool {
  name: string;
  master: string;
  haEnabled: boolean;
  haHeartbeatSr: string | null;
  hosts: string[];
  observedAt: string;
}

export interface LabReplication {
  nas: string;
  recoveryPointHours: number;
  /** One line, e.g. "newest replica 30 h old, recovery point 24 h". */
  summary: string;
  late: boolean;
  /** The newest good replica's age in hours; null when there is none (or the NAS was not read). */
  newestAgeHours: number | null;
  read: boolean;
  plans: { id: string; targetName: string; ageHours: number | null; late: boolean; lastError: number | null }[];
}

export interface LabGraph {
  builtAt: string;
  devices: LabDevice[];
  pools: LabPool[];
  hosts: LabHost[];
  replication: LabReplication[];
  ports: LabPort[];
  bonds: LabBond[];
  lags: LabLag[];
  links: LabLink[];
  vlans: LabVlan[];
  networks: LabNetwork[];
  srs: LabSr[];
  portals: LabPortal[];
  paths: LabPath[];
  domains: FailureDomain[];
  /** Per physical port: the peer interface key and the link that says so. */
  peers: Map<PortKey, { peer: PortKey; link: LabLink }>;
  /** Elements the what-if analysis took out (device names and port keys); empty for the lab as it is. */
  removed: string[];
}
