import { afterAll, beforeAll, describe, it } from 'vitest';
import type { Surface } from '../../support/surfaces/surface.js';
import { MATRIX_CASES, type MatrixState } from './cases.js';

// Runs the whole table on one surface: one bot process for the file, the cases in order (later cases use
// the incident and alert the handoff case made).

export function runMatrix(name: string, start: () => Promise<Surface>): void {
  describe(`conversation matrix on ${name}`, () => {
    let s: Surface | undefined;
    const state: MatrixState = { incident: '', alert: null };
    beforeAll(async () => {
      s = await start();
    }, 60_000);
    afterAll(async () => {
      await s?.close();
    });
    for (const c of MATRIX_CASES) {
      it(`${c.capability}: ${c.name}`, async () => {
        if (s === undefined) throw new Error('the surface did not start');
        await c.run(s, state);
      }, 60_000);
    }
  });
}
