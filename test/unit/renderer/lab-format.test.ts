import { describe, it, expect } from 'vitest';
import { compactVlans, discoveredNotCabled, placeHref, portStateText, severityCount, splitKey, vlanSetText } from '../../../src-renderer/lib/lab';

describe('what the lab screens say', () => {
  it('never calls a port nobody reported "up"', () => {
    expect(portStateText({ observed: false, state: 'unknown' })).toEqual({ text: 'no observation', tone: 'muted' });
    expect(portStateText({ observed: true, state: 'unknown' }).text).toBe('link unknown');
    expect(portStateText({ observed: true, state: 'up' })).toEqual({ text: 'up', tone: 'ok' });
    expect(portStateText({ observed: true, state: 'admin-down' }).text).toBe('admin down');
  });

  it('counts findings in words', () => {
    expect(severityCount('error', 1)).toBe('1 error');
    expect(severityCount('warning', 18)).toBe('18 warnings');
    expect(severityCount('info', 0)).toBe('0 info');
  });

  it('writes VLAN sets as a switch CLI does', () => {
    expect(compactVlans([101, 10, 20, 21, 22, 23, 100])).toBe('10,20-23,100,101');
    expect(vlanSetText({ untagged: 10, tagged: [] })).toBe('U 10');
    expect(vlanSetText({ untagged: null, tagged: [100, 101] })).toBe('T 100,101');
    expect(vlanSetText({ untagged: null, tagged: [] })).toBe('none');
    expect(vlanSetText(null)).toBe('—');
  });

  it('splits a port key at its first colon only', () => {
    expect(splitKey('sw-b:eth1/0/6')).toEqual({ device: 'sw-b', port: 'eth1/0/6' });
    expect(splitKey('sw:1:2')).toEqual({ device: 'sw', port: '1:2' });
  });

  it('tells a discovered link the inventory lacks from a cabled one', () => {
    expect(discoveredNotCabled({ peer: 'sw-b:eth1/0/23', peerSource: 'lldp', peerAlsoSeenBy: [] })).toBe(true);
    expect(discoveredNotCabled({ peer: 'xen1:eth0', peerSource: 'lldp', peerAlsoSeenBy: ['fdb', 'cable'] })).toBe(false);
    expect(discoveredNotCabled({ peer: 'sw-a:24', peerSource: 'cable', peerAlsoSeenBy: [] })).toBe(false);
    expect(discoveredNotCabled({ peer: null, peerSource: null, peerAlsoSeenBy: [] })).toBe(false);
  });

  it("links a device's name to the page that shows it live", () => {
    expect(placeHref({ id: 1, kind: 'xen-pool', poolId: null, snmp: false })).toBe('#/pools/1');
    expect(placeHref({ id: 2, kind: 'xen-host', poolId: 1, snmp: false })).toBe('#/pools/1');
    expect(placeHref({ id: 8, kind: 'switch', poolId: null, snmp: true })).toBe('#/switches/8');
    expect(placeHref({ id: 9, kind: 'switch', poolId: null, snmp: false })).toBe('#/devices/9');
    expect(placeHref({ id: 7, kind: 'nas', poolId: null, snmp: true })).toBe('#/storage');
    expect(placeHref({ id: 5, kind: 'linux-host', poolId: null, snmp: false })).toBe('#/devices/5');
  });
});
