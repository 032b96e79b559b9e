/** Hash routes: #/devices, #/devices/12, #/pools, #/pools/12, #/pools/12/storage, #/switches, #/switches/12, #/links, #/vlans, #/targets, #/storage, #/io. */
export type Route =
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

function parse(hash: string): Route {
  const parts = hash.replace(/^#\/?/, '').split('/');
  switch (parts[0]) {
    case 'devices': {
      const id = Number(parts[1]);
      return Number.isInteger(id) && id > 0 ? { screen: 'device', id } : { screen: 'devices' };
    }
    case 'pools': {
      const id = Number(parts[1]);
      if (!Number.isInteger(id) || id <= 0) return { screen: 'pools' };
      return parts[2] === 'storage' ? { screen: 'pool-storage', id } : { screen: 'pool', id };
    }
    case 'switches': {
      const id = Number(parts[1]);
      return Number.isInteger(id) && id > 0 ? { screen: 'switch', id } : { screen: 'switches' };
    }
    case 'links':
      return { screen: 'links' };
    case 'vlans':
      return { screen: 'vlans' };
    case 'targets':
      return { screen: 'targets' };
    case 'storage':
      return { screen: 'storage' };
    case 'io':
      return { screen: 'io' };
    default:
      return { screen: 'devices' };
  }
}

export const router = $state({ route: parse(location.hash) as Route });

window.addEventListener('hashchange', () => {
  router.route = parse(location.hash);
});

export function href(route: Route): string {
  switch (route.screen) {
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

export function go(route: Route): void {
  location.hash = href(route);
}
