/** The current hash route (lib/routes.ts parses and writes addresses), so reloads and the back button work in both shells. */
import { parseHash, href, type Route } from './routes';

export { href, portsHref, NO_PORT_FILTERS, type Route, type PortFilters } from './routes';

export const router = $state({ route: parseHash(location.hash) as Route });

window.addEventListener('hashchange', () => {
  router.route = parseHash(location.hash);
});

export function go(route: Route): void {
  location.hash = href(route);
}

/** Shows another route in place of this one (a filter typed, a pick made): no new history entry per keystroke. */
export function replace(route: Route): void {
  history.replaceState(history.state, '', href(route));
  router.route = parseHash(location.hash);
}
