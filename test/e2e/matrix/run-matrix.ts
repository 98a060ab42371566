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
      if (process.env.MATRIX_DUMP)
        for (const m of s?.log ?? [])
          console.log(
            `${m.seq} [${m.where}${m.channel ? `:${m.channel}` : ''} ${m.visibility} ${m.person ?? '-'}${m.update ? ' upd' : ''}${m.dialog ? ' dialog' : ''}] ${m.text.replace(/\n/g, ' | ').slice(0, 150)} {${m.buttons.map((b) => b.verb).join(',')}}`,
          );
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
