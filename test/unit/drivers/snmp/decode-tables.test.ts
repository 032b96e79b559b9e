/** The MAC table, ENTITY chassis and IP-MIB addresses. */
import { describe, expect, it } from 'vitest';
import { maskLength } from '../../../../src-main/drivers/snmp/decode/ipmib';
import { decodeObservation } from '../../../../src-main/drivers/snmp/decode/observation';
import { loadWalk, parseSnmprec, walkOf } from './snmprec';

const obsFrom = (...lines: string[]) => decodeObservation(walkOf(parseSnmprec(lines.join('\n'))), 'now');

describe('forwarding table', () => {
  it('dot1q: fdbId → VLAN through dot1qVlanFdbId, bridge port → ifIndex; self, invalid and port-0 entries dropped', () => {
    const obs = obsFrom(
      '1.3.6.1.2.1.17.1.4.1.2.3|2|1003',
      '1.3.6.1.2.1.17.7.1.2.2.1.2.5.0.17.50.170.187.204|2|3',
      '1.3.6.1.2.1.17.7.1.2.2.1.2.5.0.17.50.170.187.205|2|3',
      '1.3.6.1.2.1.17.7.1.2.2.1.2.5.2.0.0.0.0.1|2|0',
      '1.3.6.1.2.1.17.7.1.2.2.1.2.5.2.0.0.0.0.2|2|3',
      '1.3.6.1.2.1.17.7.1.2.2.1.3.5.0.17.50.170.187.204|2|3',
      '1.3.6.1.2.1.17.7.1.2.2.1.3.5.0.17.50.170.187.205|2|2',
      '1.3.6.1.2.1.17.7.1.2.2.1.3.5.2.0.0.0.0.2|2|4',
      '1.3.6.1.2.1.17.7.1.4.2.1.3.0.30|66|5',
    );
    expect(obs.fdb).toEqual([{ mac: '00:11:32:aa:bb:cc', vlan: 30, ifIndex: 1003 }]);
  });

  it('dot1d only when there is no dot1q table; Aruba CX length-prefixed MAC indexes are read', () => {
    const obs = decodeObservation(loadWalk('arubaos-cx'), 'now');
    expect(obs.fdb[0]).toEqual({ mac: '00:0a:f7:ec:d1:61', vlan: null, ifIndex: 10 });
    expect(obs.fdb.every((e) => e.vlan === null && /^([0-9a-f]{2}:){5}[0-9a-f]{2}$/.test(e.mac))).toBe(true);
  });
});

describe('ENTITY chassis', () => {
  it('the lowest-numbered chassis row names the box (procurve: 1001, inside stack row 1)', () => {
    const obs = decodeObservation(loadWalk('procurve'), 'now');
    expect(obs.model).toBe('JL074A');
  });

  it('without entPhysicalClass, the lowest row stands in; without any, empty', () => {
    expect(obsFrom('1.3.6.1.2.1.47.1.1.1.1.13.2|4|M2', '1.3.6.1.2.1.47.1.1.1.1.13.1|4|M1').model).toBe('M1');
    expect([obsFrom('1.3.6.1.2.1.1.5.0|4|x').model, obsFrom('1.3.6.1.2.1.1.5.0|4|x').serial]).toEqual(['', '']);
  });
});

describe('IP addresses', () => {
  it('masks → prefix lengths, non-contiguous masks → null', () => {
    expect([maskLength('255.255.240.0'), maskLength('255.255.255.255'), maskLength('0.0.0.0'), maskLength('255.0.255.0')]).toEqual([20, 32, 0, null]);
  });

  it('ipAddressTable: IPv6 in RFC 5952 with the prefix from the RowPointer; broadcast rows and 0.0.0.0 left out', () => {
    const v6 = '2.16.254.128.0.0.0.0.0.0.168.142.232.43.124.78.116.111';
    const obs = obsFrom(
      `1.3.6.1.2.1.4.34.1.3.${v6}|2|4`,
      `1.3.6.1.2.1.4.34.1.3.1.4.192.0.2.255|2|4`,
      `1.3.6.1.2.1.4.34.1.4.1.4.192.0.2.255|2|3`,
      `1.3.6.1.2.1.4.34.1.5.${v6}|6|1.3.6.1.2.1.4.32.1.5.4.2.16.254.128.0.0.0.0.0.0.0.0.0.0.0.0.0.0.64`,
      '1.3.6.1.2.1.4.20.1.2.0.0.0.0|2|1',
    );
    expect(obs.addresses).toEqual([{ address: 'fe80::a88e:e82b:7c4e:746f', ifIndex: 4, prefixLength: 64 }]);
  });
});
