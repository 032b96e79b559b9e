/**
 * Every API method's name, and nothing else: the sandboxed preload imports this (not the contract, which
 * pulls in zod) to expose exactly these methods. A unit test checks it equals the contract's keys.
 */
export const METHOD_NAMES = [
  'app.info',
  'app.chooseStart',
  'app.vocabulary',
  'devices.list',
  'devices.get',
  'devices.create',
  'devices.update',
  'devices.deleteImpact',
  'devices.delete',
  'devices.exportCsv',
  'devices.importCsv',
  'ports.create',
  'ports.update',
  'ports.deleteImpact',
  'ports.delete',
  'links.list',
  'links.create',
  'links.update',
  'links.delete',
  'vlans.list',
  'vlans.create',
  'vlans.update',
  'vlans.deleteImpact',
  'vlans.delete',
  'targets.list',
  'targets.create',
  'targets.update',
  'targets.deleteImpact',
  'targets.delete',
  'inventory.counts',
  'inventory.exportYaml',
  'inventory.checkYaml',
  'inventory.importYaml',
  'inventory.openDemo',
  'pools.list',
  'pools.get',
  'pools.acceptCertificate',
  'pools.refresh',
  'storage.overview',
  'storage.probeNow',
  'storage.setRecoveryPoint',
  'storage.acceptCertificate',
  'snmp.list',
  'snmp.device',
  'snmp.pollNow',
] as const;

export type MethodName = (typeof METHOD_NAMES)[number];

/** The one IPC channel of the desktop shell, and its event channel. */
export const IPC_CALL_CHANNEL = 'labwarden:call';
export const IPC_EVENT_CHANNEL = 'labwarden:event';
