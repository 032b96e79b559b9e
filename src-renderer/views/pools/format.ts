/** Words and numbers for the pool pages: times relative to a ticking clock, NIC roles, speeds, addresses. */
import type { HostNic, HostVlan, IscsiTargetRef, PollState } from '../../../src-main/domain/model';
import { STATE_TONE, portalText, type Tone } from '../../lib/format';

/** How each polling state looks on the pool pages: the shared tone and a sentence for its tooltip. */
const POOL_HINTS: Record<PollState, string> = {
  ok: 'Following the pool live',
  connecting: 'Logging in to the pool',
  slow: 'Answers, but slower than the poll interval allows',
  idle: 'Not polled: no XenAPI URL or password',
  unreachable: 'The pool does not answer',
  'auth-failed': 'The pool refused the user name or password',
  'certificate-unknown': 'No certificate pinned yet',
  'certificate-changed': 'The pool presented a different certificate than the pinned one',
  'not-master': 'The URL points at a pool member, not the master',
  error: 'The pool answered with an error',
};

export function stateLook(state: PollState): { tone: Tone; hint: string } {
  return { tone: STATE_TONE[state] ?? 'muted', hint: POOL_HINTS[state] ?? '' };
}

export type NicRoleKind = 'management' | 'storage' | 'member' | 'vm' | 'unused';

export interface NicRole {
  kind: NicRoleKind;
  label: string;
  /** Why, when it is not the NIC's own setting: "via VLAN 20", "purpose Backup". */
  detail: string;
}

/**
 * What a host interface is used for, in XenCenter's terms: its own management flag or IP first, then
 * bond membership, then what rides on it as VLANs; attached with nothing else means VM traffic.
 */
export function nicRole(nic: HostNic, vlansOn: readonly HostVlan[]): NicRole {
  if (nic.management) return { kind: 'management', label: 'management', detail: '' };
  if (nic.bond) return { kind: 'member', label: 'bond member', detail: '' };
  if (nic.purpose || nic.ipMode !== 'None') {
    const detail = nic.purpose && nic.purpose.toLowerCase() !== 'storage' ? `purpose ${nic.purpose}` : '';
    return { kind: 'storage', label: 'storage', detail };
  }
  const managementVlan = vlansOn.find((vlan) => vlan.management);
  if (managementVlan) return { kind: 'management', label: 'management', detail: `via VLAN ${managementVlan.tag}` };
  const addressed = vlansOn.filter((vlan) => vlan.ipMode !== 'None');
  const storageDetail = addressed.length ? `IP on VLAN ${addressed.map((vlan) => vlan.tag).join(', ')}` : '';
  // VLANs without an IP are VM networks; when every VLAN on it has an IP, the interface serves storage.
  if (addressed.length && addressed.length === vlansOn.length) return { kind: 'storage', label: 'storage', detail: storageDetail };
  if (nic.attached || vlansOn.length > 0 || !nic.physical) return { kind: 'vm', label: 'VM traffic', detail: storageDetail };
  return { kind: 'unused', label: 'unused', detail: '' };
}

/** The global role-… class for a role (the same colours as the inventory's port roles). */
export function roleClass(kind: NicRoleKind): string {
  return kind === 'vm' ? 'role-vm' : kind === 'management' || kind === 'storage' ? `role-${kind}` : '';
}

/** A disconnected NIC is only alarming when something uses it. */
export function carrierText(carrier: boolean | null, inUse = true): { text: string; tone: Tone } {
  if (carrier === true) return { text: 'Connected', tone: 'ok' };
  if (carrier === false) return { text: 'Disconnected', tone: inUse ? 'bad' : 'muted' };
  return { text: 'Unknown', tone: 'muted' };
}

/** 255.255.255.0 → 24; null when the mask is not a contiguous IPv4 mask. */
export function prefixLength(netmask: string): number | null {
  const parts = netmask.split('.').map(Number);
  if (parts.length !== 4 || parts.some((p) => !Number.isInteger(p) || p < 0 || p > 255)) return null;
  const bits = parts.map((p) => p.toString(2).padStart(8, '0')).join('');
  if (!/^1*0*$/.test(bits)) return null;
  const firstZero = bits.indexOf('0');
  return firstZero === -1 ? 32 : firstZero;
}

/** "Static 10.0.0.11/24", "DHCP 192.168.1.20/24", "DHCP (no address)", or "—" for none. */
export function ipText(mode: HostNic['ipMode'], ip: string, netmask: string): string {
  if (mode === 'None') return '—';
  if (!ip) return `${mode} (no address)`;
  if (!netmask) return `${mode} ${ip}`;
  const prefix = prefixLength(netmask);
  return `${mode} ${ip}/${prefix ?? netmask}`;
}

/** The distinct iSCSI targets an SR's attachments point at, with every portal named by any host. */
export function targetsOf(refs: readonly (IscsiTargetRef | null)[]): { iqn: string; scsiId: string; portals: string[] }[] {
  const byIqn = new Map<string, { iqn: string; scsiId: string; portals: string[] }>();
  for (const ref of refs) {
    if (!ref) continue;
    const key = `${ref.iqn} ${ref.scsiId}`;
    const entry = byIqn.get(key) ?? { iqn: ref.iqn, scsiId: ref.scsiId, portals: [] };
    byIqn.set(key, entry);
    for (const address of ref.portals) {
      const portal = portalText(address, ref.port);
      if (!entry.portals.includes(portal)) entry.portals.push(portal);
    }
  }
  return [...byIqn.values()];
}
