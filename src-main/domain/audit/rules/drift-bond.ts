/**
 * drift.bond: a bond or LAG the plan has that the device does not (or with other members). The redundancy
 * the owner counts on is not there, or not as drawn. Source: anchors.md §4.8 (intended LAG state against
 * live polling).
 */
import type { RawFinding } from '../finding';
import type { Rule } from '../rule';
import { sameName } from '../../graph/names';

export const driftBond: Rule = {
  id: 'drift.bond',
  finds: 'a planned bond or LAG the device does not have (or with other members)',
  source: 'anchors.md §4.8',
  run(lab) {
    const out: RawFinding[] = [];
    const aggregates = [
      ...lab.graph.bonds.map((b) => ({ key: b.key, device: b.host, name: b.device, members: b.members, planned: b.planned, observed: b.observed, what: 'bond' })),
      ...lab.graph.lags.map((l) => ({ key: l.key, device: l.device, name: l.name, members: l.members, planned: l.planned, observed: l.observed, what: 'LAG' })),
    ];
    for (const agg of aggregates) {
      if (!agg.planned) continue;
      const device = lab.device.get(agg.device);
      if (!device?.reported || device.stale) continue;
      const plannedMembers = lab.portsOf(agg.device).filter((p) => p.plan && sameName(p.plan.aggregate, agg.name)).map((p) => p.key);
      if (!agg.observed) {
        out.push({
          subject: `${agg.device}:${agg.name}`,
          severity: 'warning',
          devices: [agg.device],
          ports: plannedMembers,
          title: `${agg.device} has no ${agg.what} ${agg.name}`,
          explanation:
            `The inventory plans ${agg.name} on ${agg.device} over ${lab.describeAll(plannedMembers)}, but ${agg.device} reports no such ${agg.what}` +
            `${plannedMembers.some((m) => lab.port.get(m)?.obs?.aggregate) ? ` (its ports sit in ${[...new Set(plannedMembers.map((m) => lab.port.get(m)?.obs?.aggregate).filter(Boolean))].join(', ')})` : ''}. ` +
            `The redundancy the plan counts on is not there: create the ${agg.what}, or correct the plan.`,
          evidence: [`${agg.device}: no ${agg.what === 'bond' ? 'Bond' : 'LAG (ifStackTable, IEEE8023-LAG-MIB)'} named ${agg.name}`],
        });
        continue;
      }
      const missing = plannedMembers.filter((m) => !agg.members.includes(m));
      const extra = agg.members.filter((m) => !plannedMembers.includes(m) && lab.port.get(m)?.plan);
      if (missing.length === 0 && extra.length === 0) continue;
      out.push({
        subject: `${agg.device}:${agg.name}`,
        severity: 'warning',
        devices: [agg.device],
        ports: [...missing, ...extra],
        title: `${agg.device}'s ${agg.name} has other members than planned`,
        explanation:
          `${agg.name} on ${agg.device} is planned over ${lab.describeAll(plannedMembers)}; the device reports it over ${lab.describeAll(agg.members)}. ` +
          `${missing.length ? `${lab.describeAll(missing)} ${missing.length === 1 ? 'is' : 'are'} not in it. ` : ''}${extra.length ? `${lab.describeAll(extra)} ${extra.length === 1 ? 'is' : 'are'} in it but planned elsewhere. ` : ''}` +
          'Fix the device or the plan.',
        evidence: [`${agg.device} ${agg.what} ${agg.name}: members ${agg.members.map((m) => lab.short(m)).join(', ')}`, `plan: ${plannedMembers.map((m) => lab.short(m)).join(', ')}`],
      });
    }
    return out;
  },
};
