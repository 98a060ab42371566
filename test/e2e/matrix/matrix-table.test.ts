import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { MATRIX_CASES, type MatrixCase } from './cases.js';

// docs/testing.md carries the conversation matrix as a table: one row per case, each surface's stated
// difference (or "same"). This keeps the table and the cases in step.

const doc = readFileSync(new URL('../../../docs/testing.md', import.meta.url), 'utf8');
const section = doc.slice(doc.indexOf('## Conversation matrix'));

/** The table row a case should have. */
const row = (c: MatrixCase): string =>
  `| ${c.capability}: ${c.name} | ${c.differences.teams ?? 'same'} | ${c.differences.slack ?? 'same'} | ${c.differences.console ?? 'same'} |`;

describe('the conversation matrix in docs/testing.md', () => {
  it('has a row for every case with each surface’s difference, and no other rows', () => {
    const rows = section.split('\n').filter((l) => l.startsWith('| ') && !l.startsWith('| test '));
    expect(rows).toEqual(MATRIX_CASES.map(row));
  });

  it('covers the nine capabilities once each', () => {
    expect(MATRIX_CASES.map((c) => c.capability)).toHaveLength(9);
    expect(new Set(MATRIX_CASES.map((c) => c.capability)).size).toBe(9);
  });

  it('would notice a case missing from the table', () => {
    const first = MATRIX_CASES[0];
    if (first === undefined) throw new Error('no cases');
    const changed = { ...first, name: `${first.name} (renamed)` };
    expect(section).not.toContain(row(changed));
  });
});
