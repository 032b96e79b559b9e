/**
 * Hash routes: #/overview (also #/), #/ports?device=xen2&severity=error, #/topology, #/whatif?remove=sw-a,
 * #/devices, #/devices/12, #/pools, #/pools/12, #/pools/12/storage, #/switches, #/switches/12, #/links,
 * #/vlans, #/targets, #/storage, #/io. Anything else is the not-found page, never another page.
 * The part after `?` carries a screen's filters, so a link can open it filtered. Pure (no DOM, no runes), so
 * tests under Node import it; router.svelte.ts holds the current route.
 */
export type Route =
  | { screen: 'overview'; finding: string | null }
  | { screen: 'ports'; filters: PortFilters }
  | { screen: 'topology' }
  | { screen: 'whatif'; remove: string[] }
  | { screen: 'not-found'; address: string }
  | { screen: 'devices' }
  | { screen: 'device'; id: number }
  | { screen: 'pools' }
  | { screen: 'pool'; id: number }
  | { screen: 'pool-storage'; id: number }
  | { screen: 'switches' }
  | { screen: 'switch'; id: number }
  | { screen: 'links' }
  | { screen: 'vlans' }
  | { screen: 'targets' }
  | { screen: 'storage' }
  | { screen: 'io' };

/** The Ports view's filters, as its address carries them (`#/ports?device=xen2&severity=error`). */
export interface PortFilters {
  device: string;
  role: string;
  vlan: string;
  severity: string;
  /** One port, `device:port`. */
  port: string;
  /** The ports a finding is about. */
  finding: string;
  /** Only ports whose peer discovery found and the inventory has no cable for. */
  discovered: boolean;
  text: string;
}

export const NO_PORT_FILTERS: PortFilters = { device: '', role: '', vlan: '', severity: '', port: '', finding: '', discovered: false, text: '' };

const PORT_FILTER_KEYS = ['device', 'role', 'vlan', 'severity', 'port', 'finding', 'text'] as const;

/** An id after `/`: a whole positive number, or undefined (then the address is not found). */
function idOf(part: string | undefined): number | undefined {
  if (part === undefined || !/^[1-9]\d{0,15}$/.test(part)) return undefined;
  return Number(part);
}

export function parseHash(hash: string): Route {
  const address = hash.replace(/^#\/?/, '');
  const question = address.indexOf('?');
  const path = (question < 0 ? address : address.slice(0, question)).replace(/\/+$/, '');
  const query = new URLSearchParams(question < 0 ? '' : address.slice(question + 1));
  const parts = path.split('/');
  const notFound: Route = { screen: 'not-found', address: `#/${address}` };
  const only = (route: Route, length = 1): Route => (parts.length === length ? route : notFound);
  switch (parts[0]) {
    case '':
    case 'overview':
      return only({ screen: 'overview', finding: query.get('finding') || null });
    case 'ports': {
      const filters: PortFilters = { ...NO_PORT_FILTERS, discovered: ['1', 'true', 'yes'].includes(query.get('discovered') ?? '') };
      for (const key of PORT_FILTER_KEYS) filters[key] = query.get(key) ?? '';
      return only({ screen: 'ports', filters });
    }
    case 'topology':
      return only({ screen: 'topology' });
    case 'whatif': {
      const remove = query.getAll('remove').flatMap((r) => r.split(',')).map((r) => r.trim()).filter(Boolean);
      return only({ screen: 'whatif', remove: [...new Set(remove)] });
    }
    case 'devices': {
      if (parts.length === 1) return { screen: 'devices' };
      const id = idOf(parts[1]);
      return id ? only({ screen: 'device', id }, 2) : notFound;
    }
    case 'pools': {
      if (parts.length === 1) return { screen: 'pools' };
      const id = idOf(parts[1]);
      if (!id) return notFound;
      if (parts.length === 3 && parts[2] === 'storage') return { screen: 'pool-storage', id };
      return only({ screen: 'pool', id }, 2);
    }
    case 'switches': {
      if (parts.length === 1) return { screen: 'switches' };
      const id = idOf(parts[1]);
      return id ? only({ screen: 'switch', id }, 2) : notFound;
    }
    case 'links':
      return only({ screen: 'links' });
    case 'vlans':
      return only({ screen: 'vlans' });
    case 'targets':
      return only({ screen: 'targets' });
    case 'storage':
      return only({ screen: 'storage' });
    case 'io':
      return only({ screen: 'io' });
    default:
      return notFound;
  }
}

function queryText(pairs: [string, string][]): string {
  const text = new URLSearchParams(pairs.filter(([, v]) => v !== '')).toString();
  return text ? `?${text}` : '';
}

export function href(route: Route): string {
  switch (route.screen) {
    case 'overview':
      return `#/overview${queryText([['finding', route.finding ?? '']])}`;
    case 'ports': {
      const f = route.filters;
      return `#/ports${queryText([...PORT_FILTER_KEYS.map((k): [string, string] => [k, f[k]]), ['discovered', f.discovered ? '1' : '']])}`;
    }
    case 'whatif':
      return `#/whatif${queryText(route.remove.map((r): [string, string] => ['remove', r]))}`;
    case 'not-found':
      return route.address;
    case 'device':
      return `#/devices/${route.id}`;
    case 'pool':
      return `#/pools/${route.id}`;
    case 'pool-storage':
      return `#/pools/${route.id}/storage`;
    case 'switch':
      return `#/switches/${route.id}`;
    default:
      return `#/${route.screen}`;
  }
}

/** The Ports view filtered, e.g. `portsHref({ device: 'xen2', severity: 'error' })`. */
export function portsHref(filters: Partial<PortFilters>): string {
  return href({ screen: 'ports', filters: { ...NO_PORT_FILTERS, ...filters } });
}

