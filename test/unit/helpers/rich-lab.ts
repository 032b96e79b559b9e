/**
 * A lab built through the API with the awkward values a real inventory ends up holding: IPv6 and host-name
 * addresses, SNMPv3, MACs in vendor spellings, notes full of YAML punctuation and non-ASCII text, port names
 * that look like numbers, LUN sizes that are not round. Hand-made for the interchange tests.
 */
import type { Api } from '../../../src-main/api/contract';

/** Values that a careless YAML or CSV writer would turn into something else. */
export const AWKWARD_NOTES = `Says "hi": it's a # not a comment — ünïcødé ✓ 日本語 'single' {brace} [bracket] & *star !bang %pct`;
export const MULTILINE_NOTES = 'line one\nline two: with colon\n  indented third # hash\n';

export async function buildRichLab(api: Api): Promise<void> {
  await api['vlans.create']({ id: 10, name: 'mgmt', purpose: 'management', notes: 'Management — 管理' });
  await api['vlans.create']({ id: 20, name: 'iscsi #1', purpose: 'storage', notes: 'key: value # not a comment' });
  await api['vlans.create']({ id: 4094, name: 'edge', purpose: 'other' });

  const pool = await api['devices.create']({
    name: 'lab-pool',
    kind: 'xen-pool',
    address: '2001:db8::10',
    xenapi: { url: 'https://[2001:db8::10]:443', username: 'root' },
  });
  const host = await api['devices.create']({
    name: 'xen-01',
    kind: 'xen-host',
    address: 'fe80::1%eth0',
    // Strings a YAML 1.1 reader or a careless writer would turn into null / booleans / numbers.
    vendor: 'null',
    model: 'true',
    location: '~',
    notes: AWKWARD_NOTES,
    memberOf: pool.id,
    snmp: {
      version: 'v3',
      port: 1161,
      v3User: 'labwarden',
      v3Level: 'authNoPriv',
      v3AuthProtocol: 'sha512',
      v3PrivProtocol: 'aes256b',
    },
    xenapi: { url: 'https://xen-01.lab.example', username: 'root' },
  });
  const sw = await api['devices.create']({
    name: 'sw-1',
    kind: 'switch',
    address: 'sw-1.lab.example',
    vendor: '0012',
    model: '1e3',
    location: 'Rack "B": U1 # top',
    notes: MULTILINE_NOTES,
    snmp: { version: 'v2c' },
  });
  const san = await api['devices.create']({ name: 'san-1', kind: 'iscsi-san', address: '10.0.20.20', snmp: { version: 'v1', port: 161 } });
  const nas = await api['devices.create']({
    name: 'nas-1',
    kind: 'nas',
    address: '10.0.30.30',
    dsm: { url: 'https://10.0.30.30:5001', username: 'labwarden' },
  });

  const eth0 = await api['ports.create'](host.id, {
    name: 'eth0',
    role: 'management',
    mac: '00-1B-21-3A-4F-10',
    untaggedVlan: 10,
    notes: 'key: value # tail',
  });
  const eth1 = await api['ports.create'](host.id, {
    name: 'eth1',
    role: 'storage',
    aggregate: 'bond0',
    mac: '001B.213A.4F11',
    taggedVlans: [4094, 20],
  });
  const one = await api['ports.create'](sw.id, { name: '1', role: 'management', untaggedVlan: 10, notes: '- starts with a dash' });
  const zeroOne = await api['ports.create'](sw.id, { name: '01', role: 'storage', taggedVlans: [20], notes: "@at 'quoted'" });
  await api['ports.create'](sw.id, { name: '10', role: 'unused', notes: ' leading and trailing spaces ' });
  await api['ports.create'](sw.id, { name: '1.0', role: 'uplink', taggedVlans: [10, 20, 4094] });
  await api['ports.create'](sw.id, { name: 'yes', role: 'vm', mac: '0a:0b:0c:0d:0e:0f' });
  const lan1 = await api['ports.create'](san.id, { name: 'lan1', role: 'storage', untaggedVlan: 20 });
  await api['ports.create'](nas.id, { name: 'eth0', role: 'replication' });

  await api['links.create']({ aPortId: eth0.id, bPortId: one.id, source: 'lldp', notes: 'patch #7: blue' });
  await api['links.create']({ aPortId: eth1.id, bPortId: zeroOne.id });
  await api['links.create']({ aPortId: lan1.id, bPortId: (await api['devices.get'](sw.id)).ports.find((p) => p.name === 'yes')!.id, source: 'mac-table' });

  await api['targets.create']({
    deviceId: san.id,
    iqn: 'iqn.2024-01.example.lab:store',
    alias: 'Store: main',
    notes: AWKWARD_NOTES,
    portals: [
      { address: 'fe80::1', port: 3260 },
      { address: '10.0.20.20', port: 3261 },
      { address: 'fe80::2%eth1', port: 3260 },
    ],
    luns: [
      { lun: 0, name: 'one-tebibyte', sizeBytes: 2 ** 40, use: 'vm-storage' },
      { lun: 1, name: 'odd', sizeBytes: 123_456_789, use: 'backup' },
      { lun: 7, name: '', sizeBytes: 1e12 + 1, use: 'other' },
      { lun: 16383, name: '42', sizeBytes: 1, use: 'ha-heartbeat' },
    ],
  });
  await api['targets.create']({
    deviceId: nas.id,
    iqn: 'eui.0123456789ABCDEF',
    portals: [{ address: 'nas-1.lab.example', port: 3260 }],
    luns: [],
  });
}

const ID_KEYS = new Set(['id', 'deviceId', 'portId', 'aPortId', 'bPortId', 'memberOf']);

/** A value with every database id removed, so two labs holding the same inventory compare equal. */
export function withoutIds(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutIds);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([key]) => !ID_KEYS.has(key))
        .map(([key, v]) => [key, withoutIds(v)]),
    );
  }
  return value;
}

/** Everything the API shows of a lab, ids aside (VLAN ids are tags, not row ids, and are kept). */
export async function labContent(api: Api): Promise<unknown> {
  const devices = await api['devices.list']();
  const details = [];
  for (const device of devices) details.push(await api['devices.get'](device.id));
  return {
    devices: withoutIds(devices),
    details: withoutIds(details),
    links: withoutIds(await api['links.list']()),
    vlans: await api['vlans.list'](),
    targets: withoutIds(await api['targets.list']()),
    counts: await api['inventory.counts'](),
  };
}
