/**
 * LLDP-MIB and LLDP-V2-MIB: ID subtypes, the local port number → ifIndex rules, the v2 index, time marks, the
 * neighbours' capabilities and management addresses; and the vendor caches CDP (CISCO-CDP-MIB) and FDP
 * (FOUNDRY-SN-SWITCH-GROUP-MIB), proved on hand-made walks since no public recording has them.
 */
import { describe, expect, it } from 'vitest';
import { decodeChassisId, decodePortId, ipv6Text } from '../../../../src-main/drivers/snmp/decode/lldp';
import { cdpCapabilities, fdpCapabilities, lldpCapabilities, preferredAddress } from '../../../../src-main/drivers/snmp/decode/lldp-ids';
import { decodeObservation } from '../../../../src-main/drivers/snmp/decode/observation';
import { loadWalk, parseSnmprec, walkOf } from './snmprec';

const obsFrom = (...lines: string[]) => decodeObservation(walkOf(parseSnmprec(lines.join('\n'))), 'now');
const REM = '1.0.8802.1.1.2.1.4.1.1';
const LOC = '1.0.8802.1.1.2.1.3.7.1';
const rem = (index: string, sysName: string, port = 'eth0') => [
  `${REM}.4.${index}|2|4`,
  `${REM}.5.${index}|4x|001122334455`,
  `${REM}.6.${index}|2|5`,
  `${REM}.7.${index}|4|${port}`,
  `${REM}.9.${index}|4|${sysName}`,
];
const iface = (ifIndex: number, name: string, descr = name) => [`1.3.6.1.2.1.2.2.1.2.${ifIndex}|4|${descr}`, `1.3.6.1.2.1.31.1.1.1.1.${ifIndex}|4|${name}`];

describe('chassis and port ID subtypes', () => {
  it('MAC subtypes as colon hex, from six octets or from text (Aruba CX sends "00:50:d7:12:68:68")', () => {
    expect(decodeChassisId(Buffer.from('b8a44fb93d1a', 'hex'), 4)).toBe('b8:a4:4f:b9:3d:1a');
    expect(decodeChassisId(Buffer.from('00:50:d7:12:68:68'), 4)).toBe('00:50:d7:12:68:68');
    expect(decodePortId(Buffer.from('0004f2c67078', 'hex'), 3)).toBe('00:04:f2:c6:70:78');
  });

  it('network address subtypes: IANA family octet, then the address', () => {
    // procurve: the Polycom phone's chassis is 01 0A 38 20 71 = IPv4 10.56.32.113.
    expect(decodeChassisId(Buffer.from('010a382071', 'hex'), 5)).toBe('10.56.32.113');
    expect(decodePortId(Buffer.from('02fe800000000000000000000000000001', 'hex'), 4)).toBe('fe80::1');
  });

  it('name-like subtypes as text; anything unprintable as colon hex; a MAC subtype that is not a MAC as what it is', () => {
    expect(decodePortId(Buffer.from('1/7/18'), 5)).toBe('1/7/18');
    expect(decodePortId(Buffer.from('10'), 7)).toBe('10');
    expect(decodeChassisId(Buffer.from('vmnic5'), 6)).toBe('vmnic5');
    expect(decodePortId(Buffer.from([0x00, 0x01, 0xff]), 7)).toBe('00:01:ff');
    expect(decodePortId(Buffer.from('gi1'), 3)).toBe('gi1');
    expect(decodePortId(Buffer.from('x'), null)).toBe('x');
  });

  it('IPv6 text is RFC 5952', () => {
    expect(ipv6Text(Buffer.from('20010db8000000000000000000000001', 'hex'))).toBe('2001:db8::1');
    expect(ipv6Text(Buffer.from('20010db8000100000001000000000001', 'hex'))).toBe('2001:db8:1:0:1::1');
    expect(ipv6Text(Buffer.alloc(16))).toBe('::');
  });
});

describe('local port number → ifIndex', () => {
  it('1: lldpLocPortId naming an ifName wins over a bridge port of the same number', () => {
    const obs = obsFrom(
      ...iface(3, '1/1/1'),
      ...iface(7, '1/1/2'),
      `${LOC}.2.1|2|5`,
      `${LOC}.3.1|4|1/1/2`,
      '1.3.6.1.2.1.17.1.4.1.2.1|2|3',
      ...rem('0.1.1', 'peer'),
    );
    expect(obs.neighbors.map((n) => n.localIfIndex)).toEqual([7]);
  });

  it('2: lldpLocPortDesc equal to one ifDescr, when the port ID is a MAC (D-Link gives every port the chassis MAC)', () => {
    const obs = obsFrom(
      ...iface(10, 'p1', 'Port 1'),
      ...iface(20, 'p2', 'Port 2'),
      `${LOC}.2.2|2|3`,
      `${LOC}.3.2|4x|001e585c09ff`,
      `${LOC}.4.2|4|Port 2`,
      ...rem('0.2.1', 'peer'),
    );
    expect(obs.neighbors.map((n) => n.localIfIndex)).toEqual([20]);
  });

  it('3: dot1dBasePortIfIndex when no name matches; 4: the number itself when it is an ifIndex; else skipped and noted', () => {
    const obs = obsFrom(
      ...iface(5, 'a'),
      ...iface(9, 'b'),
      '1.3.6.1.2.1.17.1.4.1.2.1|2|9',
      ...rem('0.1.1', 'via-bridge'),
      ...rem('0.5.1', 'via-ifindex'),
      ...rem('0.77.1', 'nowhere'),
    );
    expect(obs.neighbors.map((n) => [n.remoteSystemName, n.localIfIndex])).toEqual([
      ['via-bridge', 9],
      ['via-ifindex', 5],
    ]);
    expect(obs.gaps).toEqual(['lldpRemTable: 1 value skipped (local port number matches no interface), first at .77.1']);
  });

  it('procurve: ports named by number, A1/A2 by bridge port 55/56 (their lldpLocPortId is "55", no ifName)', () => {
    const obs = decodeObservation(loadWalk('procurve'), 'now');
    const name = (i: number) => obs.ports.find((p) => p.ifIndex === i)!.name;
    expect(obs.neighbors.map((n) => name(n.localIfIndex))).toEqual(['27', '31', '41', '42', '44', 'A1', 'A2']);
  });
});

describe('remote rows', () => {
  it('the newest time mark of a (port, index) row wins; older rows are dropped; the same neighbour twice is one', () => {
    const obs = obsFrom(...iface(1, 'p1'), ...rem('100.1.1', 'old'), ...rem('200.1.1', 'new'), ...rem('200.1.2', 'other', 'eth1'), ...rem('200.1.3', 'again'));
    expect(obs.neighbors.map((n) => n.remoteSystemName)).toEqual(['new', 'other']);
  });

  it('LLDP-V2: the local port is the ifIndex and the destination-address index only tells agents apart', () => {
    const V2 = '1.3.111.2.802.1.1.13.1.4.1.1';
    const row = (index: string, port: string) => [
      `${V2}.5.${index}|2|4`,
      `${V2}.6.${index}|4x|001132aabbcc`,
      `${V2}.7.${index}|2|5`,
      `${V2}.8.${index}|4|${port}`,
      `${V2}.10.${index}|4|nas01`,
      `${V2}.11.${index}|4|Linux`,
    ];
    const obs = obsFrom(...iface(12, 'ge12'), ...row('0.12.1.1', 'eth0'), ...row('0.12.3.1', 'eth0'), ...row('0.12.1.2', 'eth1'));
    expect(obs.neighbors).toEqual([
      { localIfIndex: 12, remoteSystemName: 'nas01', remoteSystemDescr: 'Linux', remotePortId: 'eth0', remotePortDescr: '', remoteChassisId: '00:11:32:aa:bb:cc', remoteManagementAddress: '', remoteCapabilities: [], remotePlatform: '', source: 'lldp-v2' },
      { localIfIndex: 12, remoteSystemName: 'nas01', remoteSystemDescr: 'Linux', remotePortId: 'eth1', remotePortDescr: '', remoteChassisId: '00:11:32:aa:bb:cc', remoteManagementAddress: '', remoteCapabilities: [], remotePlatform: '', source: 'lldp-v2' },
    ]);
  });

  it('a v2 row repeating a v1 neighbour is reported once, as v1', () => {
    const obs = obsFrom(
      ...iface(1, 'p1'),
      ...rem('0.1.1', 'peer'),
      '1.3.111.2.802.1.1.13.1.4.1.1.5.0.1.1.1|2|4',
      '1.3.111.2.802.1.1.13.1.4.1.1.6.0.1.1.1|4x|001122334455',
      '1.3.111.2.802.1.1.13.1.4.1.1.7.0.1.1.1|2|5',
      '1.3.111.2.802.1.1.13.1.4.1.1.8.0.1.1.1|4|eth0',
    );
    expect(obs.neighbors.map((n) => n.source)).toEqual(['lldp']);
  });

  it('arubaos-cx: VMware hosts send the vmnic as an interfaceName chassis ID and the NIC MAC as the port ID', () => {
    const obs = decodeObservation(loadWalk('arubaos-cx'), 'now');
    expect(obs.neighbors.find((n) => n.remoteSystemName === 'vmhost-20')).toMatchObject({ remoteChassisId: 'vmnic5', remotePortId: '00:0a:f7:ec:d1:61' });
  });
});

describe('neighbour capabilities (lldpRemSysCapEnabled)', () => {
  it('BITS most significant bit first: 0x80 other … 0x01 station; LLDP-V2 adds c-vlan, s-vlan, tpmr in the second octet', () => {
    expect(lldpCapabilities(Buffer.from([0x80]))).toEqual(['other']);
    expect(lldpCapabilities(Buffer.from([0x28]))).toEqual(['bridge', 'router']);
    expect(lldpCapabilities(Buffer.from([0x01]))).toEqual(['station']);
    expect(lldpCapabilities(Buffer.from([0x04, 0xe0]))).toEqual(['telephone', 'c-vlan', 's-vlan', 'tpmr']);
    expect(lldpCapabilities(Buffer.alloc(0))).toEqual([]);
    expect(lldpCapabilities(Buffer.alloc(9, 0xff))).toBeNull();
  });

  it('net-snmp’s display of BITS, as LibreNMS’s recordings hold it ("28 2 4"), is read only when self-consistent', () => {
    expect(lldpCapabilities(Buffer.from('28 2 4'))).toEqual(['bridge', 'router']);
    expect(lldpCapabilities(Buffer.from('60 1 2'))).toEqual(['repeater', 'bridge']);
    expect(lldpCapabilities(Buffer.from('00'))).toEqual([]);
    // "28 2" lists fewer bits than 0x28 has: not the display form, so the octets are taken as they are.
    expect(lldpCapabilities(Buffer.from('28 2'))).not.toEqual(['bridge', 'router']);
  });

  it('real recordings: procurve’s camera is a station, its phone a telephone, the switch on Trk1 bridge + router; D-Link neighbours repeater + bridge', () => {
    const procurve = decodeObservation(loadWalk('procurve'), 'now');
    const caps = (ifIndex: number) => procurve.neighbors.find((n) => n.localIfIndex === ifIndex)!.remoteCapabilities;
    expect([caps(27), caps(44), caps(55), caps(31)]).toEqual([['station'], ['telephone'], ['bridge', 'router'], []]);
    const dlink = decodeObservation(loadWalk('dlink_dgs-3627g'), 'now');
    expect(dlink.neighbors.find((n) => n.remoteSystemName === 'MK2-USR-BB2')!.remoteCapabilities).toEqual(['repeater', 'bridge', 'router']);
  });
});

describe('neighbour management address (lldpRemManAddrTable)', () => {
  it('procurve: each neighbour lists 0.0.0.0 and an address; the address is the one kept', () => {
    const obs = decodeObservation(loadWalk('procurve'), 'now');
    expect(obs.neighbors.map((n) => [n.localIfIndex, n.remoteManagementAddress])).toEqual([
      [27, '10.1.1.1'], [31, ''], [41, '10.1.1.1'], [42, '10.1.1.1'], [44, '10.1.1.1'], [55, '10.1.1.1'], [56, '10.1.1.1'],
    ]);
  });

  it('arubaos-cx: a MAC (family 6) is no management address, the iSCSI switch’s IPv4 is; dlink_dgs-3627g: only the neighbours that send one', () => {
    const aruba = decodeObservation(loadWalk('arubaos-cx'), 'now');
    expect(aruba.neighbors.filter((n) => n.remoteManagementAddress !== '').map((n) => [n.remoteSystemName, n.remoteManagementAddress])).toEqual([
      ['aruba-iscsi-2', '172.20.5.87'],
      ['aruba-iscsi-2', '172.20.5.87'],
    ]);
    const dlink = decodeObservation(loadWalk('dlink_dgs-3627g'), 'now');
    expect(dlink.neighbors.filter((n) => n.remoteManagementAddress !== '')).toHaveLength(11); // the recording's 11 lldpRemManAddrTable rows, one per neighbour
    expect(dlink.neighbors.find((n) => n.remoteSystemName === 'MK2-USR-BB2')!.remoteManagementAddress).toBe('143.160.6.61');
  });

  it('hand-made: IPv4 before IPv6, IPv6 when it is the only one (v1 and v2 tables)', () => {
    const hp = decodeObservation(loadWalk('handmade-hp-stack-trunks'), 'now');
    expect(hp.neighbors.map((n) => [n.localIfIndex, n.remoteSystemName, n.remoteManagementAddress])).toEqual([
      [1, 'xen1', '192.0.2.11'],
      [3, 'core-sw', '192.0.2.1'],
      [53, 'xen1', '2001:db8::11'],
    ]);
    const v2 = decodeObservation(loadWalk('handmade-lacp-lag'), 'now');
    expect(v2.neighbors.map((n) => [n.localIfIndex, n.remoteManagementAddress, n.remoteCapabilities])).toEqual([
      [7, '192.0.2.50', ['station']],
      [8, '2001:db8::50', ['station']],
    ]);
  });

  it('an index without the length octet is read too; one naming no row is harmless; the preference order', () => {
    const obs = obsFrom(...iface(1, 'p1'), ...rem('0.1.1', 'peer'), '1.0.8802.1.1.2.1.4.2.1.3.0.1.1.1.192.0.2.9|2|2', '1.0.8802.1.1.2.1.4.2.1.3.0.9.9.1.4.192.0.2.8|2|2');
    expect(obs.neighbors.map((n) => n.remoteManagementAddress)).toEqual(['192.0.2.9']);
    expect(obs.gaps).toEqual([]);
    expect(preferredAddress(['::', '0.0.0.0', 'fe80::1', '192.0.2.1'])).toBe('192.0.2.1');
    expect(preferredAddress(['0.0.0.0', '::'])).toBe('');
  });
});

describe('CDP (hand-made Catalyst-style switch)', () => {
  const obs = decodeObservation(loadWalk('handmade-cisco-etherchannel'), 'now');

  it('every cdpCacheTable row is a neighbour with Device-ID, Port-ID, platform, version, address and capabilities', () => {
    expect(obs.neighbors[0]).toEqual({
      localIfIndex: 10101,
      remoteSystemName: 'dist-1.lab.example',
      remoteSystemDescr: 'Cisco IOS Software, C3850 Software (CAT3K_CAA-UNIVERSALK9-M), Version 16.12.4 (hand-made)',
      remotePortId: 'GigabitEthernet1/0/24',
      remotePortDescr: '',
      remoteChassisId: '',
      remoteManagementAddress: '192.0.2.21',
      remoteCapabilities: ['bridge', 'router'],
      remotePlatform: 'cisco WS-C3850-24T',
      source: 'cdp',
    });
    expect(obs.neighbors.map((n) => [n.localIfIndex, n.remotePortId, n.source])).toEqual([
      [10101, 'GigabitEthernet1/0/24', 'cdp'],
      [10102, 'GigabitEthernet1/0/23', 'cdp'],
      [10106, 'Port 1', 'cdp'],
    ]);
  });

  it('an IPv6 address (CiscoNetworkProtocol 20) and a phone’s capabilities (host + phone)', () => {
    expect(obs.neighbors[2]).toMatchObject({ remoteSystemName: 'SEP020000000040', remoteManagementAddress: '2001:db8::40', remoteCapabilities: ['telephone', 'station'], remotePlatform: 'Cisco IP Phone 8841' });
  });

  it('capability words: router, the three bridge bits, host, repeater, phone; IGMP says nothing; hex text as recordings hold it', () => {
    expect(cdpCapabilities(Buffer.from([0, 0, 0, 0x01]))).toEqual(['router']);
    expect(cdpCapabilities(Buffer.from([0, 0, 0, 0x0e]))).toEqual(['bridge']);
    expect(cdpCapabilities(Buffer.from([0, 0, 0, 0x20]))).toEqual([]);
    expect(cdpCapabilities(Buffer.from([0, 0, 0, 0x50]))).toEqual(['repeater', 'station']);
    expect(cdpCapabilities(Buffer.from('00 00 00 29'))).toEqual(['bridge', 'router']);
    expect(cdpCapabilities(Buffer.from('not hex at all'))).toBeNull();
  });

  it('rows naming ifIndex 0 or with neither Device-ID nor Port-ID are skipped and counted', () => {
    const CDP = '1.3.6.1.4.1.9.9.23.1.2.1.1';
    const o = obsFrom(`${CDP}.6.0.1|4|ghost`, `${CDP}.8.5.2|4|platform only`, `${CDP}.6.5.3|4|real`, `${CDP}.7.5.3|4|Gi0/1`);
    expect(o.neighbors.map((n) => [n.localIfIndex, n.remoteSystemName, n.remotePortId])).toEqual([[5, 'real', 'Gi0/1']]);
    expect(o.gaps).toEqual(['cdpCacheTable: 1 value skipped (local ifIndex 0), first at .0', 'cdpCacheTable: 1 value skipped (neither Device-ID nor Port-ID), first at .5']);
  });
});

describe('FDP (hand-made ICX-style switch)', () => {
  const obs = decodeObservation(loadWalk('handmade-icx-fdp'), 'now');

  it('an FDP neighbour and a CDP one from the same cache, told apart by snFdpCacheVendorId', () => {
    expect(obs.neighbors.map((n) => [n.localIfIndex, n.remoteSystemName, n.remotePortId, n.remotePlatform, n.remoteManagementAddress, n.remoteCapabilities, n.source])).toEqual([
      [1, 'icx-core', 'ethernet1/1/48', 'ICX7450-48', '192.0.2.1', ['bridge', 'router'], 'fdp'],
      [2, 'cat-2960', 'GigabitEthernet0/1', 'cisco WS-C2960-8TC-L', '192.0.2.2', ['bridge'], 'cdp'],
    ]);
    expect(obs.gaps).toEqual([]);
  });

  it('capabilities as words, or as CDP’s word in hex', () => {
    expect(fdpCapabilities(Buffer.from('Router Switch Host'))).toEqual(['bridge', 'router', 'station']);
    expect(fdpCapabilities(Buffer.from('0x00000008'))).toEqual(['bridge']);
    expect(fdpCapabilities(Buffer.from(''))).toEqual([]);
  });
});
