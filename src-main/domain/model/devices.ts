/** Devices: the boxes in the lab, and how Labwarden may talk to them. */

export const DEVICE_KINDS = ['xen-pool', 'xen-host', 'switch', 'iscsi-san', 'nas', 'linux-host'] as const;
export type DeviceKind = (typeof DEVICE_KINDS)[number];

export const DEVICE_KIND_LABELS: Record<DeviceKind, string> = {
  'xen-pool': 'XenServer pool',
  'xen-host': 'XenServer host',
  switch: 'Switch',
  'iscsi-san': 'iSCSI SAN',
  nas: 'NAS',
  'linux-host': 'Linux host',
};

export const SNMP_VERSIONS = ['v1', 'v2c', 'v3'] as const;
export type SnmpVersion = (typeof SNMP_VERSIONS)[number];

export const SNMP_SECURITY_LEVELS = ['noAuthNoPriv', 'authNoPriv', 'authPriv'] as const;
export type SnmpSecurityLevel = (typeof SNMP_SECURITY_LEVELS)[number];

// The protocols net-snmp supports; SHA-2 and AES are what a current switch should use.
export const SNMP_AUTH_PROTOCOLS = ['md5', 'sha', 'sha224', 'sha256', 'sha384', 'sha512'] as const;
export type SnmpAuthProtocol = (typeof SNMP_AUTH_PROTOCOLS)[number];
export const SNMP_PRIV_PROTOCOLS = ['des', 'aes', 'aes256b', 'aes256r'] as const;
export type SnmpPrivProtocol = (typeof SNMP_PRIV_PROTOCOLS)[number];

/**
 * SNMP parameters without the secrets (community, auth and priv keys live in credentials).
 * The v3 fields matter only when version is 'v3'.
 */
export interface SnmpSettings {
  version: SnmpVersion;
  port: number;
  v3User: string;
  v3Level: SnmpSecurityLevel;
  v3AuthProtocol: SnmpAuthProtocol;
  v3PrivProtocol: SnmpPrivProtocol;
}

export const DEFAULT_SNMP: SnmpSettings = {
  version: 'v2c',
  port: 161,
  v3User: '',
  v3Level: 'authPriv',
  v3AuthProtocol: 'sha256',
  v3PrivProtocol: 'aes',
};

/** XenAPI or DSM: a URL and a user name; the password is a credential. */
export interface ApiEndpoint {
  url: string;
  username: string;
  /**
   * The SHA-256 fingerprint of the TLS certificate trusted for this endpoint (AB:CD:… form). XenServer and
   * DSM ship self-signed certificates, so the first one seen is pinned and a different one is refused.
   */
  fingerprint?: string;
}

export interface Device {
  id: number;
  name: string;
  kind: DeviceKind;
  /** Management address: IPv4, IPv6 or host name. */
  address: string;
  vendor: string;
  model: string;
  location: string;
  notes: string;
  /** For a xen-host, the pool it belongs to. */
  memberOf: number | null;
  /**
   * For a switch, the stack it is a member of ('' for none). Switches with the same stack name are one
   * stack: one logical switch (a LAG may span its members), each member still its own failure domain.
   */
  stack: string;
  snmp: SnmpSettings | null;
  xenapi: ApiEndpoint | null;
  dsm: ApiEndpoint | null;
}

/** Which kinds each protocol makes sense for; the UI offers only these, the validator enforces them. */
export const PROTOCOLS_BY_KIND: Record<DeviceKind, { snmp: boolean; xenapi: boolean; dsm: boolean }> = {
  'xen-pool': { snmp: false, xenapi: true, dsm: false },
  'xen-host': { snmp: true, xenapi: true, dsm: false },
  switch: { snmp: true, xenapi: false, dsm: false },
  'iscsi-san': { snmp: true, xenapi: false, dsm: false },
  nas: { snmp: true, xenapi: false, dsm: true },
  'linux-host': { snmp: true, xenapi: false, dsm: false },
};
