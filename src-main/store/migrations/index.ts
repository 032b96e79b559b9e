import type Database from 'better-sqlite3';
import { inventorySchema } from './001-inventory';
import { observationsSchema } from './002-observations';
import { portSamplesSchema } from './003-port-samples';
import { targetChapSchema } from './004-target-chap';
import { labGraphSchema } from './005-lab-graph';

export interface Migration {
  version: number;
  name: string;
  up(db: Database.Database): void;
}

/** Append-only. The array index + 1 is the version, checked by a unit test. */
export const MIGRATIONS: Migration[] = [
  { version: 1, name: 'inventory', up: inventorySchema },
  { version: 2, name: 'observations', up: observationsSchema },
  { version: 3, name: 'port samples', up: portSamplesSchema },
  { version: 4, name: 'target discovery CHAP', up: targetChapSchema },
  { version: 5, name: 'switch stacks, accepted and seen findings, topology positions', up: labGraphSchema },
];

export const LATEST_SCHEMA = MIGRATIONS.length;
