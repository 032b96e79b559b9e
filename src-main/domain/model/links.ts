/** Links: the cables between two ports. A port has at most one cable. */

export const LINK_SOURCES = ['manual', 'lldp', 'mac-table'] as const;
export type LinkSource = (typeof LINK_SOURCES)[number];

export interface Link {
  id: number;
  aPortId: number;
  bPortId: number;
  source: LinkSource;
  notes: string;
}
