/**
 * link.duplex-mismatch: half duplex at one end of a link. With one end full and the other half, the half
 * end sees collisions on every busy moment and the link loses packets under load: the classic
 * auto-negotiation failure when one side is forced. Source: EtherLike-MIB dot3StatsDuplexStatus, the PIF's
 * duplex metric; LibreNMS's and Netdisco's duplex-mismatch reports.
 */
import type { RawFinding } from '../finding';
import type { Rule } from '../rule';
import { liveLinks } from '../link-ends';

export const linkDuplexMismatch: Rule = {
  id: 'link.duplex-mismatch',
  finds: 'half duplex at one end of a link',
  source: 'EtherLike-MIB dot3StatsDuplexStatus; Netdisco and LibreNMS duplex reports',
  run(lab) {
    const out: RawFinding[] = [];
    for (const { link, a, b, subject } of liveLinks(lab)) {
      const [da, db] = [a.obs!.duplex, b.obs!.duplex];
      if (da !== 'half' && db !== 'half') continue;
      const both = da === 'half' && db === 'half';
      out.push({
        subject,
        severity: both ? 'warning' : 'error',
        devices: [a.device, b.device],
        ports: [a.key, b.key],
        title: both ? `${a.key} ↔ ${b.key} runs half duplex` : `duplex mismatch: ${da === 'half' ? a.key : b.key} is half duplex, ${da === 'half' ? b.key : a.key} ${da === 'half' ? (db ?? 'unknown') : (da ?? 'unknown')}`,
        explanation: both
          ? 'Both ends run half duplex: the link shares its bandwidth between directions and collides under load. Set both ends to auto-negotiate full duplex.'
          : 'One end runs half duplex and the other does not: under load the half-duplex end sees late collisions and drops frames, ' +
            'which looks like a slow or flaky link. Set both ends to auto-negotiate (or force both the same).',
        evidence: [`${a.key} duplex ${da ?? 'unknown'}`, `${b.key} duplex ${db ?? 'unknown'}`, `link ${link.source}`],
      });
    }
    return out;
  },
};
