/** Words and numbers for the pool pages: times relative to a ticking clock, NIC roles, speeds, addresses. */
import type { HostNic, HostVlan, IscsiTargetRef, PollState } from '../../../src-main/domain/model';

export type Tone = 'ok' | 'info' | 'warn' | 'bad' | 'muted';

/** "12 s ago", "3 min ago", "5 h ago", "2 d ago"; `now` comes from a ticking clock so the text moves. */
export function ago(iso: string | null, now: number): string {
  if (!iso) return 'never';
  const at = Date.parse(iso);
  if (Number.isNaN(at)) return iso;
  const seconds = Math.max(0, Math.round((now - at) / 1000));
  if (seconds < 60) return `${seconds} s ago`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} h ago`;
  return `${Math.floor(hours / 24)} d ago`;
}

/** The wall-clock time, with the date when it is not today; for title attributes and alert lists. */
export function clockTime(iso: string | null): string {
  if (!iso) return '';
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return iso;
  return at.toDateString() === new Date().toDateString() ? at.toLocaleTimeString() : at.toLocaleString();
}

/** How each polling state looks: the badge's tone and a sentence for its tooltip. */
export const STATE_LOOK: Record<PollState, { tone: Tone; hint: string }> = {
  ok: { tone: 'ok', hint: 'Following the pool live' },
  connecting: { tone: 'info', hint: 'Logging in to the pool' },
  slow: { tone: 'warn', hint: 'Answers, but slower than the poll interval allows' },
  idle: { tone: 'muted', hint: 'Not polled: no XenAPI URL or password' },
  unreachable: { tone: 'bad', hint: 'The pool does not answer' },
  'auth-failed': { tone: 'bad', hint: 'The pool refused the user name or password' },
  'certificate-unknown': { tone: 'warn', hint: 'No certificate pinned yet' },
  'certificate-changed': { tone: 'bad', hint: 'The pool presented a different certificate than the pinned one' },
  'not-master': { tone: 'warn', hint: 'The URL points at a pool member, not the master' },
  error: { tone: 'bad', hint: 'The pool answered with an error' },
};

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

export function speedText(mbps: number | null, duplex: HostNic['duplex']): string {
  if (mbps === null) return '—';
  const speed = mbps >= 1000 ? `${Number((mbps / 1000).toFixed(1))} Gbit/s` : `${mbps} Mbit/s`;
  return duplex ? `${speed} ${duplex}` : speed;
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

/** A fingerprint in groups of eight bytes, so it can wrap and be compared a group at a time. */
export function groupedFingerprint(fingerprint: string): string {
  const bytes = fingerprint.split(':');
  const groups: string[] = [];
  for (let i = 0; i < bytes.length; i += 8) groups.push(bytes.slice(i, i + 8).join(':'));
  return groups.join(': ');
}

export function portalText(address: string, port: number): string {
  return `${address.includes(':') ? `[${address}]` : address}:${port}`;
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
