/**
 * HAND-MADE recordings, generated, not recorded from a device: a managed switch of any port count with full
 * IF-MIB tables, bridge ports, static and current VLANs, two LACP LAGs (ifStack and IEEE8023-LAG-MIB), LLDP
 * neighbours and a MAC table; and a runaway table of any size. For the benchmark's 200-switch cycle and the
 * walker's cap test, where no real recording is big enough. Deterministic for a given seed.
 */
import { seededRandom } from './proxy';

export interface SyntheticSwitchOptions {
  /** Physical ports (the last 4 are uplinks); default 52. */
  ports?: number;
  /** VLANs besides 1; default 8. */
  vlans?: number;
  /** MAC-table entries; default 400. */
  macs?: number;
  /** LLDP neighbours; default 12. */
  neighbors?: number;
  /** Default 1. */
  seed?: number;
  sysName?: string;
}

const hex = (bytes: readonly number[]) => bytes.map((b) => b.toString(16).padStart(2, '0')).join('');

/** A PortList (MSB of octet 0 = port 1) over `ports` bits. */
function portList(ports: number, members: Iterable<number>): string {
  const bytes = new Array<number>(Math.ceil(ports / 8)).fill(0);
  for (const port of members) bytes[(port - 1) >> 3]! |= 0x80 >> ((port - 1) & 7);
  return hex(bytes);
}

function sortLines(lines: string[]): string {
  const keyed = lines.map((line) => ({ line, arcs: line.slice(0, line.indexOf('|')).split('.').map(Number) }));
  keyed.sort((a, b) => {
    for (let i = 0; i < Math.min(a.arcs.length, b.arcs.length); i++) if (a.arcs[i] !== b.arcs[i]) return a.arcs[i]! - b.arcs[i]!;
    return a.arcs.length - b.arcs.length;
  });
  return `${keyed.map((k) => k.line).join('\n')}\n`;
}

export function syntheticSwitchSnmprec(options: SyntheticSwitchOptions = {}): string {
  const ports = options.ports ?? 52;
  const vlanCount = options.vlans ?? 8;
  const macCount = options.macs ?? 400;
  const neighborCount = options.neighbors ?? 12;
  const random = seededRandom(options.seed ?? 1);
  const int = (n: number) => Math.floor(random() * n);
  const lags = [ports + 1, ports + 2];
  const lagMembers = new Map([
    [lags[0]!, [ports - 3, ports - 2]],
    [lags[1]!, [ports - 1, ports]],
  ]);
  const allIf = [...Array.from({ length: ports }, (_, i) => i + 1), ...lags, 1000];
  const lines: string[] = [];
  const add = (oid: string, tag: string, value: string | number | bigint) => lines.push(`${oid}|${tag}|${value}`);

  const sys = '1.3.6.1.2.1.1';
  add(`${sys}.1.0`, '4', `Synthetic ${ports}-port managed switch (hand-made recording)`);
  add(`${sys}.2.0`, '6', '1.3.6.1.4.1.99999.1.52');
  add(`${sys}.3.0`, '67', 123_456_789);
  add(`${sys}.4.0`, '4', 'lab@example.org');
  add(`${sys}.5.0`, '4', options.sysName ?? 'sw-synthetic');
  add(`${sys}.6.0`, '4', 'rack 1');
  add(`${sys}.7.0`, '2', 2);
  add('1.3.6.1.2.1.2.1.0', '2', allIf.length);

  const ifT = '1.3.6.1.2.1.2.2.1';
  const ifX = '1.3.6.1.2.1.31.1.1.1';
  for (const i of allIf) {
    const lag = lags.includes(i);
    const vlanIf = i === 1000;
    const name = lag ? `Trk${i - ports}` : vlanIf ? 'DEFAULT_VLAN' : `${i}`;
    const up = lag || vlanIf || random() < 0.6;
    const speed = lag ? 2_000 : i > ports - 4 ? 10_000 : 1_000;
    const mac = [0x00, 0x1b, 0x21, (i >> 8) & 0xff, i & 0xff, 0x10];
    add(`${ifT}.1.${i}`, '2', i);
    add(`${ifT}.2.${i}`, '4', lag ? `Trunk ${name}` : vlanIf ? name : `Port ${i}`);
    add(`${ifT}.3.${i}`, '2', lag ? 161 : vlanIf ? 53 : 6);
    add(`${ifT}.4.${i}`, '2', vlanIf ? 1500 : 9198);
    add(`${ifT}.5.${i}`, '66', Math.min(speed * 1_000_000, 4_294_967_295));
    add(`${ifT}.6.${i}`, '4x', hex(mac));
    add(`${ifT}.7.${i}`, '2', 1);
    add(`${ifT}.8.${i}`, '2', up ? 1 : 2);
    add(`${ifT}.9.${i}`, '67', int(1_000_000));
    for (const column of [10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20]) add(`${ifT}.${column}.${i}`, '65', int(4_000_000_000));
    add(`${ifT}.21.${i}`, '66', 0);
    add(`${ifT}.22.${i}`, '6', '0.0');
    add(`${ifX}.1.${i}`, '4', name);
    for (const column of [2, 3, 4, 5]) add(`${ifX}.${column}.${i}`, '65', int(1_000_000));
    for (const column of [6, 7, 8, 9, 10, 11, 12, 13]) add(`${ifX}.${column}.${i}`, '70', BigInt(int(2 ** 31)) * BigInt(1 + int(1_000)));
    add(`${ifX}.14.${i}`, '2', 1);
    add(`${ifX}.15.${i}`, '66', speed);
    add(`${ifX}.16.${i}`, '2', 1);
    add(`${ifX}.17.${i}`, '2', vlanIf || lag ? 2 : 1);
    add(`${ifX}.18.${i}`, '4', i % 7 === 0 ? `xen${i % 3} eth${i % 4}` : '');
    add(`${ifX}.19.${i}`, '67', 0);
    if (!lag && !vlanIf) add(`1.3.6.1.2.1.10.7.2.1.19.${i}`, '2', up ? 3 : 1);
  }
  // ifStack: each LAG over its members; the lowest layers over nothing (0).
  for (const [lag, members] of lagMembers) for (const m of members) add(`1.3.6.1.2.1.31.1.2.1.3.${lag}.${m}`, '2', 1);

  // BRIDGE-MIB: bridge port = ifIndex for physical ports and the LAGs.
  const bridged = allIf.filter((i) => i !== 1000 && ![...lagMembers.values()].flat().includes(i));
  for (const i of bridged) add(`1.3.6.1.2.1.17.1.4.1.2.${i}`, '2', i);
  const maxPort = ports + 2;

  // Q-BRIDGE: VLAN 1 untagged on the access ports; VLANs 10, 20, … tagged on the LAGs, untagged on a few ports.
  const vlanIds = [1, ...Array.from({ length: vlanCount }, (_, k) => 10 * (k + 1))];
  const qb = '1.3.6.1.2.1.17.7.1.4';
  for (const vlan of vlanIds) {
    const untagged = vlan === 1 ? bridged.filter((i) => i <= ports - 4) : bridged.filter((i) => i <= ports - 4 && i % (vlanCount + 1) === vlanIds.indexOf(vlan));
    const egress = [...untagged, ...lags];
    add(`${qb}.2.1.3.0.${vlan}`, '66', vlan);
    add(`${qb}.2.1.4.0.${vlan}`, '4x', portList(maxPort, egress));
    add(`${qb}.2.1.5.0.${vlan}`, '4x', portList(maxPort, untagged));
    add(`${qb}.3.1.1.${vlan}`, '4', vlan === 1 ? 'DEFAULT_VLAN' : `VLAN${vlan}`);
    add(`${qb}.3.1.2.${vlan}`, '4x', portList(maxPort, egress));
    add(`${qb}.3.1.3.${vlan}`, '4x', portList(maxPort, []));
    add(`${qb}.3.1.4.${vlan}`, '4x', portList(maxPort, untagged));
    add(`${qb}.3.1.5.${vlan}`, '2', 1);
  }
  for (const i of bridged) add(`${qb}.5.1.1.${i}`, '66', i <= ports - 4 && i % (vlanCount + 1) !== 0 ? vlanIds[i % (vlanCount + 1)]! : 1);

  // IEEE8023-LAG-MIB.
  const lagMib = '1.2.840.10006.300.43.1';
  for (const lag of lags) {
    add(`${lagMib}.1.1.1.2.${lag}`, '4x', '001b21000001');
    add(`${lagMib}.1.1.1.6.${lag}`, '2', lag);
    add(`${lagMib}.1.1.1.7.${lag}`, '2', lag);
  }
  for (const [lag, members] of lagMembers) {
    for (const m of members) {
      add(`${lagMib}.2.1.1.9.${m}`, '4x', '6805ca000001');
      add(`${lagMib}.2.1.1.12.${m}`, '2', lag);
      add(`${lagMib}.2.1.1.13.${m}`, '2', lag);
      add(`${lagMib}.2.1.1.21.${m}`, '4x', '3d');
      add(`${lagMib}.2.1.1.23.${m}`, '4x', '3d');
    }
  }

  // LLDP: local ports, and neighbours on the uplinks and some access ports.
  const lldp = '1.0.8802.1.1.2.1';
  for (let i = 1; i <= ports; i++) {
    add(`${lldp}.3.7.1.2.${i}`, '2', 5);
    add(`${lldp}.3.7.1.3.${i}`, '4', `${i}`);
    add(`${lldp}.3.7.1.4.${i}`, '4', `Port ${i}`);
  }
  for (let n = 0; n < neighborCount; n++) {
    const local = n < 4 ? ports - 3 + n : 1 + ((n * 5) % (ports - 4));
    const row = `0.${local}.${n + 1}`;
    add(`${lldp}.4.1.1.4.${row}`, '2', 4);
    add(`${lldp}.4.1.1.5.${row}`, '4x', hex([0x68, 0x05, 0xca, 0, n >> 8, n & 0xff]));
    add(`${lldp}.4.1.1.6.${row}`, '2', 5);
    add(`${lldp}.4.1.1.7.${row}`, '4', `eth${n % 4}`);
    add(`${lldp}.4.1.1.8.${row}`, '4', `eth${n % 4}`);
    add(`${lldp}.4.1.1.9.${row}`, '4', n < 4 ? `core-${n}` : `xen${n}`);
    add(`${lldp}.4.1.1.10.${row}`, '4', 'XCP-ng 8.2');
  }

  // MAC table (dot1qTpFdb): fdbId = VLAN, learned (3) on access ports and the LAGs.
  const seen = new Set<string>();
  for (let m = 0; m < macCount; m++) {
    const mac = [0x02, int(256), int(256), int(256), (m >> 8) & 0xff, m & 0xff];
    const vlan = vlanIds[int(vlanIds.length)]!;
    const index = `${vlan}.${mac.join('.')}`;
    if (seen.has(index)) continue;
    seen.add(index);
    const port = m % 5 === 0 ? lags[m % 2]! : bridged[int(bridged.length)]!;
    add(`1.3.6.1.2.1.17.7.1.2.2.1.2.${index}`, '2', port);
    add(`1.3.6.1.2.1.17.7.1.2.2.1.3.${index}`, '2', 3);
  }

  add('1.3.6.1.2.1.47.1.1.1.1.5.1', '2', 3);
  add('1.3.6.1.2.1.47.1.1.1.1.11.1', '4', 'SN0000SYNTH');
  add('1.3.6.1.2.1.47.1.1.1.1.13.1', '4', `SYNTH-${ports}`);
  add('1.3.6.1.2.1.4.20.1.2.10.0.0.2', '2', 1000);
  add('1.3.6.1.2.1.4.20.1.3.10.0.0.2', '64', '255.255.255.0');
  return sortLines(lines);
}

/** A table of `rows` rows under `column` (OID of one column), plus sysName so the agent answers a probe. */
export function bigTableSnmprec(column: string, rows: number): string {
  const lines = ['1.3.6.1.2.1.1.5.0|4|big-table'];
  for (let r = 1; r <= rows; r++) lines.push(`${column}.${r}|2|${r % 64}`);
  return `${lines.join('\n')}\n`;
}
