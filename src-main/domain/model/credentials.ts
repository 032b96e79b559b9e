/**
 * Credentials are write-only from the UI's side: the renderer may set or clear one, and learns only
 * whether it is set. The values stay in the main process, encrypted at rest.
 */
export const CREDENTIAL_PURPOSES = [
  'snmp-community',
  'snmp-auth-key',
  'snmp-priv-key',
  'xenapi-password',
  'dsm-password',
] as const;
export type CredentialPurpose = (typeof CREDENTIAL_PURPOSES)[number];

export const CREDENTIAL_LABELS: Record<CredentialPurpose, string> = {
  'snmp-community': 'SNMP community',
  'snmp-auth-key': 'SNMPv3 auth key',
  'snmp-priv-key': 'SNMPv3 privacy key',
  'xenapi-password': 'XenAPI password',
  'dsm-password': 'DSM password',
};

/** The protocol a credential belongs to: dropping the protocol from a device drops its credentials. */
export const CREDENTIAL_PROTOCOL: Record<CredentialPurpose, 'snmp' | 'xenapi' | 'dsm'> = {
  'snmp-community': 'snmp',
  'snmp-auth-key': 'snmp',
  'snmp-priv-key': 'snmp',
  'xenapi-password': 'xenapi',
  'dsm-password': 'dsm',
};
