import { describe, it, expect } from 'vitest';
import { parseHash, href, portsHref, NO_PORT_FILTERS } from '../../../src-renderer/lib/routes';

describe('the hash routes', () => {
  it('opens the overview at #/ and #/overview, a finding line by its id', () => {
    expect(parseHash('')).toEqual({ screen: 'overview', finding: null });
    expect(parseHash('#/')).toEqual({ screen: 'overview', finding: null });
    expect(parseHash('#/overview')).toEqual({ screen: 'overview', finding: null });
    const id = 'spof.storage-single-path:xen1:VM store';
    expect(parseHash(href({ screen: 'overview', finding: id }))).toEqual({ screen: 'overview', finding: id });
  });

  it('carries the Ports filters in the query, so a link opens the view filtered', () => {
    expect(parseHash('#/ports?device=xen2&severity=error')).toEqual({ screen: 'ports', filters: { ...NO_PORT_FILTERS, device: 'xen2', severity: 'error' } });
    expect(parseHash('#/ports?discovered=1')).toMatchObject({ filters: { discovered: true } });
    const link = portsHref({ port: 'sw-b:eth1/0/6', vlan: '101' });
    expect(parseHash(link)).toEqual({ screen: 'ports', filters: { ...NO_PORT_FILTERS, port: 'sw-b:eth1/0/6', vlan: '101' } });
    expect(href({ screen: 'ports', filters: NO_PORT_FILTERS })).toBe('#/ports');
  });

  it('takes what-if targets repeated or comma-separated, once each', () => {
    expect(parseHash('#/whatif?remove=sw-a')).toEqual({ screen: 'whatif', remove: ['sw-a'] });
    expect(parseHash('#/whatif?remove=sw-a,xen1:eth1&remove=sw-a')).toEqual({ screen: 'whatif', remove: ['sw-a', 'xen1:eth1'] });
    expect(parseHash(href({ screen: 'whatif', remove: ['10.10.20.20:3260', 'sw-b:eth1/0/7'] }))).toEqual({ screen: 'whatif', remove: ['10.10.20.20:3260', 'sw-b:eth1/0/7'] });
  });

  it('keeps the detail pages where they were', () => {
    expect(parseHash('#/devices')).toEqual({ screen: 'devices' });
    expect(parseHash('#/devices/12')).toEqual({ screen: 'device', id: 12 });
    expect(parseHash('#/pools/3/storage')).toEqual({ screen: 'pool-storage', id: 3 });
    expect(parseHash('#/switches/8')).toEqual({ screen: 'switch', id: 8 });
    for (const screen of ['links', 'vlans', 'targets', 'storage', 'io', 'topology', 'pools', 'switches'] as const) {
      expect(parseHash(`#/${screen}`)).toEqual({ screen });
    }
  });

  it('answers an unknown address with the not-found page, never another page', () => {
    for (const address of ['#/nonsense', '#/devices/abc', '#/devices/0', '#/devices/12/extra', '#/pools/3/nothing', '#/overview/more', '#/topology/x']) {
      expect(parseHash(address)).toEqual({ screen: 'not-found', address });
    }
  });
});
