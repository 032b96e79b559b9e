/**
 * link.speed-mismatch: the two ends of a link report different speeds. A working link runs at one speed, so
 * different figures mean a media converter, a wrongly cabled port, or a bond member negotiated down (a
 * 100 Mb/s member in a 1 Gb/s bond halves what the bond can carry for the flows hashed to it).
 * Source: XCP-ng networking guide (bond members of equal speed), HP LeftHand guide (matching NICs).
 */
import type { RawFinding } from '../finding';
import type { Rule } from '../rule';
import { liveLinks } from '../link-ends';

export const linkSpeedMismatch: Rule = {
  id: 'link.speed-mismatch',
  finds: 'the two ends of a link report different speeds',
  source: 'xenapi.md §8.12, XCP-ng networking guide',
  run(lab) {
    const out: RawFinding[] = [];
    for (const { link, a, b, subject } of liveLinks(lab)) {
      const [sa, sb] = [a.obs!.speedMbps, b.obs!.speedMbps];
      if (sa === null || sb === null || sa === sb) continue;
      out.push({
        subject,
        severity: 'warning',
        devices: [a.device, b.device],
        ports: [a.key, b.key],
        title: `${a.key} runs at ${sa} Mb/s, ${b.key} at ${sb} Mb/s`,
        explanation:
          `The two ends of this cable report different speeds (${sa} and ${sb} Mb/s). The link carries at most the slower one; ` +
          `usually one end negotiated down over a bad cable or was set by hand. Check the cable and set both ends to auto-negotiate.`,
        evidence: [`${a.key} speed ${sa} Mb/s`, `${b.key} speed ${sb} Mb/s`, `link ${link.source}`],
      });
    }
    return out;
  },
};
