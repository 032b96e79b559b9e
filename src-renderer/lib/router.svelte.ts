/** Hash routes: #/devices, #/devices/12, #/links, #/vlans, #/targets, #/io. */
export type Route =
  | { screen: 'devices' }
  | { screen: 'device'; id: number }
  | { screen: 'links' }
  | { screen: 'vlans' }
  | { screen: 'targets' }
  | { screen: 'io' };

function parse(hash: string): Route {
  const parts = hash.replace(/^#\/?/, '').split('/');
  switch (parts[0]) {
    case 'devices': {
      const id = Number(parts[1]);
      return Number.isInteger(id) && id > 0 ? { screen: 'device', id } : { screen: 'devices' };
    }
    case 'links':
      return { screen: 'links' };
    case 'vlans':
      return { screen: 'vlans' };
    case 'targets':
      return { screen: 'targets' };
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
  return route.screen === 'device' ? `#/devices/${route.id}` : `#/${route.screen}`;
}

export function go(route: Route): void {
  location.hash = href(route);
}
