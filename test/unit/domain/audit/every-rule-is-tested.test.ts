/**
 * Every rule the audit runs has a positive and a negative case in this folder: its finding id is asserted
 * (`'<rule id>:…'`, or a file's RULE constant in a template) and a "raises nothing" case names the rule. A rule added to RULES without tests fails here.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RULES } from '../../../../src-main/domain/audit';

const here = __dirname;
const sources = readdirSync(here)
  .filter((f) => f.endsWith('.test.ts') && f !== 'every-rule-is-tested.test.ts')
  .map((f) => readFileSync(join(here, f), 'utf8'));

describe('the rule tests', () => {
  it.each(RULES.map((r) => r.id))('assert %s by its finding id and say when it raises nothing', (id) => {
    const files = sources.filter((s) => s.includes(id));
    expect(files.length, `no test file names ${id}`).toBeGreaterThan(0);
    // The id spelled out, or a file's RULE constant used in a template (`${RULE}:chester:bond0`).
    const assertsId = (s: string) => s.includes(`${id}:`) || (s.includes(`const RULE = '${id}'`) && s.includes('${RULE}:'));
    expect(files.some(assertsId), `no test asserts a ${id}:… finding id`).toBe(true);
    expect(files.some((s) => /raises nothing|says nothing/.test(s)), `no negative case beside ${id}`).toBe(true);
  });
});
