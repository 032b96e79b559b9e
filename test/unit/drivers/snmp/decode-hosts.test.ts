/** NAS and Linux-host views: Synology health, bonds from ifTable rows and /proc/net/bonding via NET-SNMP-EXTEND. */
import { describe, expect, it } from 'vitest';
import { parseBondingText } from '../../../../src-main/drivers/snmp/decode/linux-bond';
import { decodeObservation } from '../../../../src-main/drivers/snmp/decode/observation';
import { parseSnmprec, walkOf } from './snmprec';

const obsFrom = (...lines: string[]) => decodeObservation(walkOf(parseSnmprec(lines.join('\n'))), 'now');
/** nsExtendOutputFull.<token> — the index is the token's length then its ASCII codes. */
const extend = (token: string, output: string) =>
  `1.3.6.1.4.1.8072.1.3.2.3.1.2.${token.length}.${[...Buffer.from(token)].join('.')}|4x|${Buffer.from(output).toString('hex')}`;
const iface = (ifIndex: number, type: number, name: string) => [`1.3.6.1.2.1.2.2.1.2.${ifIndex}|4|${name}`, `1.3.6.1.2.1.2.2.1.3.${ifIndex}|2|${type}`];

/** /proc/net/bonding/bond0 of an 802.3ad bond (the kernel's format, as bond_procfs.c prints it). */
const BOND0 = `Ethernet Channel Bonding Driver: v5.10.0

Bonding Mode: IEEE 802.3ad Dynamic link aggregation
Transmit Hash Policy: layer3+4 (1)
MII Status: up
MII Polling Interval (ms): 100

802.3ad info
LACP active: on
LACP rate: slow
Aggregator selection policy (ad_select): stable

Slave Interface: eth0
MII Status: up
Speed: 10000 Mbps
Aggregator ID: 1
    port state: 61

Slave Interface: eth1
MII Status: down
Speed: Unknown
Aggregator ID: 2
    port state: 69
`;

describe('Linux bonds', () => {
  it('parses the bonding driver text: mode (by the kernel short name) and members in order', () => {
    expect(parseBondingText(BOND0)).toEqual({ mode: '802.3ad', members: ['eth0', 'eth1'] });
    expect(parseBondingText('Bonding Mode: fault-tolerance (active-backup)\nSlave Interface: eno1\n')).toEqual({ mode: 'active-backup', members: ['eno1'] });
    expect(parseBondingText('Bonding Mode: load balancing (xor)\n')).toEqual({ mode: 'balance-xor', members: [] });
    expect(parseBondingText('sudo: No such file or directory')).toBeNull();
  });

  it('an extend named after the bond gives it members and mode; bond0.100 (a VLAN) and lo are not bonds', () => {
    const obs = obsFrom(...iface(1, 24, 'lo'), ...iface(2, 6, 'eth0'), ...iface(3, 6, 'eth1'), ...iface(4, 6, 'bond0'), ...iface(5, 135, 'bond0.100'), extend('bond0', BOND0));
    expect(obs.hostBonds).toEqual([{ name: 'bond0', ifIndex: 4, members: ['eth0', 'eth1'], mode: '802.3ad' }]);
    expect(obs.gaps).toEqual([]);
  });

  it('a token ending in the bond name, or the only bond with the only bonding text, is matched too', () => {
    const a = obsFrom(...iface(4, 6, 'bond1'), ...iface(5, 6, 'bond0'), extend('bonding-bond1', BOND0));
    expect(a.hostBonds.map((b) => [b.name, b.mode])).toEqual([['bond1', '802.3ad'], ['bond0', '']]);
    const b = obsFrom(...iface(4, 53, 'bond0'), extend('lacp', BOND0));
    expect(b.hostBonds.map((x) => [x.name, x.members])).toEqual([['bond0', ['eth0', 'eth1']]]);
  });

  it('a bonding text for an interface not named bond* makes it a host bond; one naming no interface is noted', () => {
    const obs = obsFrom(...iface(4, 6, 'bond0'), ...iface(7, 6, 'uplink'), extend('uplink', BOND0), extend('ghost', BOND0));
    expect(obs.hostBonds.map((b) => b.name)).toEqual(['bond0', 'uplink']);
    expect(obs.gaps).toEqual(['extend "ghost" shows a bond that no ifTable row is named after']);
  });
});

describe('Synology health', () => {
  const SYS = '1.3.6.1.4.1.6574';
  it('a degraded volume, a crashed disk with a failing health, a failed fan; sizes as bigints', () => {
    const obs = obsFrom(
      `${SYS}.1.1.0|2|1`,
      `${SYS}.1.2.0|2|41`,
      `${SYS}.1.3.0|2|1`,
      `${SYS}.1.4.1.0|2|1`,
      `${SYS}.1.4.2.0|2|2`,
      `${SYS}.1.5.1.0|4|DS918+`,
      `${SYS}.2.1.1.2.0|4|Disk 1`,
      `${SYS}.2.1.1.2.1|4|Disk 2`,
      `${SYS}.2.1.1.3.0|4|WD40EFRX`,
      `${SYS}.2.1.1.3.1|4|WD40EFRX`,
      `${SYS}.2.1.1.5.0|2|1`,
      `${SYS}.2.1.1.5.1|2|5`,
      `${SYS}.2.1.1.6.0|2|33`,
      `${SYS}.2.1.1.13.1|2|4`,
      `${SYS}.3.1.1.2.0|4|Volume 1`,
      `${SYS}.3.1.1.3.0|2|11`,
      `${SYS}.3.1.1.4.0|70|1099511627776`,
      `${SYS}.3.1.1.5.0|70|11999999999999`,
    );
    expect(obs.nas).toEqual({
      system: 'normal',
      temperatureC: 41,
      power: 'normal',
      fans: 'failed',
      model: 'DS918+',
      serial: '',
      version: '',
      disks: [
        { id: 'Disk 1', model: 'WD40EFRX', status: 'normal', health: 'unknown', temperatureC: 33 },
        { id: 'Disk 2', model: 'WD40EFRX', status: 'crashed', health: 'failing', temperatureC: null },
      ],
      raids: [{ name: 'Volume 1', status: 'degrade', freeBytes: 1099511627776n, totalBytes: 11999999999999n }],
      luns: [], // no SYNOLOGY-ISCSILUN-MIB rows: decode-synology-lun.test.ts covers the LUN table
    });
  });

  it('no Synology MIB answering → no NAS health; an out-of-range status reads unknown(n)', () => {
    expect(obsFrom('1.3.6.1.2.1.1.5.0|4|sw').nas).toBeNull();
    expect(obsFrom(`${SYS}.1.1.0|2|9`).nas?.system).toBe('unknown(9)');
  });
});
