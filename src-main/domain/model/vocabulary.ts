/**
 * The lab's words and the choices each field offers, in one object the UI loads once (the renderer may
 * import only types from domain/, so it learns the lists from here instead of keeping copies).
 */
import {
  DEVICE_KINDS,
  DEVICE_KIND_LABELS,
  PROTOCOLS_BY_KIND,
  SNMP_VERSIONS,
  SNMP_SECURITY_LEVELS,
  SNMP_AUTH_PROTOCOLS,
  SNMP_PRIV_PROTOCOLS,
  DEFAULT_SNMP,
  type DeviceKind,
  type SnmpSettings,
} from './devices';
import { CREDENTIAL_PURPOSES, CREDENTIAL_LABELS, type CredentialPurpose } from './credentials';
import { PORT_ROLES, type PortRole } from './ports';
import { LINK_SOURCES, type LinkSource } from './links';
import { VLAN_PURPOSES, type VlanPurpose } from './vlans';
import { LUN_USES, ISCSI_DEFAULT_PORT, type LunUse } from './storage';

export interface Choice<T extends string> {
  value: T;
  label: string;
}

export interface Vocabulary {
  deviceKinds: Choice<DeviceKind>[];
  protocolsByKind: typeof PROTOCOLS_BY_KIND;
  portRoles: Choice<PortRole>[];
  linkSources: Choice<LinkSource>[];
  vlanPurposes: Choice<VlanPurpose>[];
  lunUses: Choice<LunUse>[];
  credentials: Choice<CredentialPurpose>[];
  snmp: {
    versions: readonly SnmpSettings['version'][];
    levels: readonly SnmpSettings['v3Level'][];
    authProtocols: readonly SnmpSettings['v3AuthProtocol'][];
    privProtocols: readonly SnmpSettings['v3PrivProtocol'][];
    defaults: SnmpSettings;
  };
  iscsiDefaultPort: number;
}

const sentence = (value: string) => (value.charAt(0).toUpperCase() + value.slice(1)).replace(/-/g, ' ');

const PORT_ROLE_LABELS: Record<PortRole, string> = {
  management: 'Management',
  storage: 'Storage',
  vm: 'VM traffic',
  uplink: 'Uplink',
  ha: 'HA heartbeat',
  replication: 'Replication',
  unused: 'Unused',
};

const LUN_USE_LABELS: Record<LunUse, string> = {
  'vm-storage': 'VM storage',
  'ha-heartbeat': 'HA heartbeat',
  backup: 'Backup',
  replication: 'Replication',
  other: 'Other',
};

const LINK_SOURCE_LABELS: Record<LinkSource, string> = {
  manual: 'Entered by hand',
  lldp: 'LLDP',
  'mac-table': 'Switch MAC table',
};

export const VOCABULARY: Vocabulary = {
  deviceKinds: DEVICE_KINDS.map((value) => ({ value, label: DEVICE_KIND_LABELS[value] })),
  protocolsByKind: PROTOCOLS_BY_KIND,
  portRoles: PORT_ROLES.map((value) => ({ value, label: PORT_ROLE_LABELS[value] })),
  linkSources: LINK_SOURCES.map((value) => ({ value, label: LINK_SOURCE_LABELS[value] })),
  vlanPurposes: VLAN_PURPOSES.map((value) => ({ value, label: value === 'vm' ? 'VM traffic' : value === 'ha' ? 'HA' : sentence(value) })),
  lunUses: LUN_USES.map((value) => ({ value, label: LUN_USE_LABELS[value] })),
  credentials: CREDENTIAL_PURPOSES.map((value) => ({ value, label: CREDENTIAL_LABELS[value] })),
  snmp: {
    versions: SNMP_VERSIONS,
    levels: SNMP_SECURITY_LEVELS,
    authProtocols: SNMP_AUTH_PROTOCOLS,
    privProtocols: SNMP_PRIV_PROTOCOLS,
    defaults: DEFAULT_SNMP,
  },
  iscsiDefaultPort: ISCSI_DEFAULT_PORT,
};
