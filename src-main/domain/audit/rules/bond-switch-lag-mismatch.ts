/**
 * bond.switch-lag-mismatch: the two ends of a bond disagree about what it is. An LACP bond needs its switch
 * ports to be one LACP LAG (on one switch, or one stack/MLAG pair): ports that stand alone, or sit in two
 * LAGs, or LAGs whose partner is someone else, leave LACP unnegotiated and traffic on one link at best. A
 * balance-slb or active-backup bond needs no switch configuration, and its members in an LACP LAG are a
 * LAG without LACPDUs: the switch keeps them out of the bundle or drops traffic while it waits.
 * Source: CTX135690 (LACP needs switch configuration, SLB and active-backup do not), XenCenter's "LACP must
 * also be configured on the switch ports", XCP-ng networking guide; reference anchors.md §4.1, xenapi.md §8.8–9.
 */
import type { LabLag } from '../../graph/types';
import type { RawFinding } from '../finding';
import type { Rule } from '../rule';
import { macOf } from '../../graph/names';

export const bondSwitchLagMismatch: Rule = {
  id: 'bond.switch-lag-mismatch',
  finds: 'an LACP bond whose switch ports are not one LAG (or are in LAGs of different partners); a static/SLB/active-backup bond whose members are in an LACP LAG',
  source: 'anchors.md §4.1; xenapi.md §8.8–9: CTX135690, XenCenter BondDetails, XCP-ng networking guide',
  run(lab) {
    const out: RawFinding[] = [];
    for (const bond of lab.graph.bonds) {
      if (!bond.observed || bond.members.length < 2) continue;
      const peers = bond.members.map((m) => lab.peer(m));
      if (peers.some((p) => p === null)) continue;
      // Each member's LAG on the switch side: its peer is the LAG itself, or a port in one.
      const lags: (LabLag | null)[] = peers.map((p) => lab.lag.get(p!) ?? lab.lagOfPort.get(p!) ?? null);
      const switchPorts = peers.filter((p) => lab.port.get(p!)?.kind === 'switch-port' || lab.lag.has(p!)) as string[];
      if (switchPorts.length !== peers.length) continue;
      if (peers.some((p) => lab.port.get(p!)?.obs === null)) continue;
      const mode = bond.mode ?? 'balance-slb';
      const where = lab.describeAll([...new Set(peers as string[])]);
      const evidence = [
        `${bond.host} Bond ${bond.device}: mode = ${bond.mode ?? '(none: before XenServer 6.0, balance-slb)'}`,
        ...peers.map((p, i) => {
          const lag = lags[i];
          const device = lab.port.get(p!)?.device ?? lag?.device ?? '';
          return lag ? `${device}: ${lab.short(p!)} is in ${lag.name}${lag.protocol ? ` (${lag.protocol})` : ''}` : `${device} ifStackTable/LAG-MIB: ${lab.short(p!)} stands alone`;
        }),
      ];
      if (mode === 'lacp') {
        const distinct = new Set(lags.map((l) => (l ? `${lab.logicalSwitch(l.device)}/${l.name.toLowerCase()}` : null)));
        // The partners the switch sees on this bond's ports: one system, or someone else is in the bundle too.
        const partners = new Set<string>();
        peers.forEach((peer, i) => {
          const lag = lags[i];
          for (const state of lag?.memberStates ?? []) {
            const mac = macOf(state.partnerSystem);
            if (mac && (peer === lag!.key || state.port === peer)) partners.add(mac);
          }
        });
        let problem: string | null = null;
        if (lags.some((l) => l === null)) problem = lags.every((l) => l === null) ? 'which are not in a LAG' : 'which are not all in a LAG';
        else if (distinct.size > 1) problem = `which are in ${distinct.size} different LAGs`;
        else if (partners.size > 1) problem = 'whose LAG has partners other than this bond';
        else if (partners.size === 1) {
          // The one partner the switch negotiates with is another known device: the cables are crossed.
          const owners = lab.devicesOfMac.get([...partners][0]!);
          if (owners && !owners.has(bond.host)) problem = `whose LACP partner is ${[...owners].join(' and ')}, not ${bond.host}`;
        }
        else if (lags[0]!.protocol === 'static') problem = `which are a static LAG (${lags[0]!.name}), not LACP`;
        if (!problem) continue;
        out.push({
          subject: `${bond.host}:${bond.device}`,
          severity: 'error',
          devices: [bond.host, ...new Set(switchPorts.map((p) => lab.port.get(p)?.device ?? lab.lag.get(p)?.device ?? ''))].filter(Boolean),
          ports: [...bond.members, ...new Set(switchPorts)],
          title: `${bond.host}'s LACP ${bond.device} lands on ${where}, ${problem}`,
          explanation:
            `${bond.host} runs ${bond.device} as an LACP bond, which only works when the switch ports at the other end form one ` +
            `LACP LAG. Here they are ${where}, ${problem}: LACP cannot come up, so the bond falls back to one link (if ` +
            `lacp-fallback-ab is set) or loses traffic. Make those ports one LACP LAG on the switch, or change the bond to ` +
            `balance-slb or active-backup, which need nothing from the switch.`,
          evidence,
        });
      } else {
        const lacpLag = lags.find((l) => l?.protocol === 'lacp');
        if (!lacpLag) continue;
        out.push({
          subject: `${bond.host}:${bond.device}`,
          severity: 'error',
          devices: [bond.host, lacpLag.device],
          ports: [...bond.members, ...new Set(switchPorts)],
          title: `${bond.host}'s ${mode} ${bond.device} lands on ${lacpLag.device}'s LACP LAG ${lacpLag.name}`,
          explanation:
            `${bond.host} runs ${bond.device} as ${mode}, which sends no LACP, but its members are cabled into ${lacpLag.device}'s ` +
            `LACP LAG ${lacpLag.name}. The switch waits for LACPDUs that never come, so it keeps the ports out of the bundle or ` +
            `drops traffic. Either remove ${lacpLag.name} on the switch (plain ports with the same VLANs), or change the bond to LACP.`,
          evidence,
        });
      }
    }
    return out;
  },
};
