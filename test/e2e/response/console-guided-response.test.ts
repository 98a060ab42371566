import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Reply } from '../../../bot/ports.js';
import { startTestBot, type TestBot } from '../../support/start-test-bot.js';

// The embedded default as the dev console uses it (real HTTP, the composition root's wiring): the expert
// hands an incident off, the responder completes an action from the incident card, and the alert post in
// the customer's Alerts channel is redrawn with the new state, its thread carrying the audit comment.

let t: TestBot;
beforeAll(async () => {
  t = await startTestBot();
});
afterAll(async () => {
  await t?.cleanup();
});

async function post(path: string, body: unknown): Promise<Record<string, unknown>> {
  const res = await fetch(`${t.url}/console/api${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect(res.status).toBe(200);
  return (await res.json()) as Record<string, unknown>;
}

const turn = async (
  personaId: string,
  input: { text: string } | { action: { verb: string; data: unknown } },
) => (await post('/turn', { personaId, deliveryId: randomUUID(), ...input })).replies as Reply[];

function executes(card: unknown): { verb: string; data: Record<string, unknown> }[] {
  const out: { verb: string; data: Record<string, unknown> }[] = [];
  const walk = (n: unknown): void => {
    if (Array.isArray(n)) n.forEach(walk);
    else if (typeof n === 'object' && n !== null) {
      const o = n as Record<string, unknown>;
      if (o.type === 'Action.Execute')
        out.push({ verb: String(o.verb), data: o.data as Record<string, unknown> });
      for (const [k, v] of Object.entries(o)) if (k !== 'refresh') walk(v);
    }
  };
  walk(card);
  return out;
}

type Feed = { posts: { reply: Reply; updates: unknown[]; thread: { reply: Reply }[] }[] };
const alerts = async (): Promise<Feed> =>
  (await (await fetch(`${t.url}/console/api/alerts?conversation=web:alerts:contoso&since=0`)).json()) as Feed;

describe('guided response in the dev console', () => {
  it('lets the responder complete an action and redraws the alert post with it', async () => {
    const created = await post('/sim/create', { personaId: 'expert', customerId: 'contoso' });
    const id = String((created.incident as { id?: string } | undefined)?.id ?? created.id);
    const target = { personaId: 'expert', customerId: 'contoso', incidentId: id };
    await post('/sim/start', target);
    await post('/sim/classify', {
      ...target,
      classification: 'truePositive',
      determination: 'malware',
      summary: 'Malware.',
    });
    await post('/sim/handoff', target);
    const postOf = async () =>
      (await alerts()).posts.find((p) => JSON.stringify(p.reply.card).includes(`Incident ${id}`));
    const before = await postOf();
    expect(JSON.stringify(before?.reply.card)).toContain('Action needed');

    // The analyst sees the state, no buttons; the responder gets them.
    const [analystCard] = await turn('contoso-analyst', { text: `incident ${id}` });
    expect(executes(analystCard?.card).filter((a) => a.verb.startsWith('response.'))).toEqual([]);
    const [card] = await turn('contoso-responder', { text: `incident ${id}` });
    const done = executes(card?.card).find((a) => a.verb === 'response.done');
    expect(done).toBeDefined();
    const [after] = await turn('contoso-responder', { action: { verb: 'response.done', data: done?.data } });
    expect(after?.mode).toBe('replace');
    expect(after?.text).toMatch(/Completed \(Completed by Contoso Ltd responder/);
    expect(after?.text).toMatch(
      /Defender Experts bot .*: \[Guided response\] .* marked completed by Contoso Ltd responder \(web:[^)]+\)/,
    );

    // Every copy: the alert post was updated in place and its thread got the audit line.
    let updated = await postOf();
    for (
      let i = 0;
      i < 100 && !(updated?.thread ?? []).some((l) => l.reply.text.includes('marked completed by'));
      i += 1
    ) {
      await new Promise((r) => setTimeout(r, 20));
      updated = await postOf();
    }
    // The thread line is the short form: what happened and who, no ids, no ISO time.
    const line = (updated?.thread ?? []).find((l) => l.reply.text.includes('marked completed by'));
    expect(line?.reply.text).toMatch(/^✔ .+ for .+ — marked completed by Contoso Ltd responder$/);
    expect(line?.reply.text).not.toMatch(/\[Guided response\]|web:contoso|\d{4}-\d{2}-\d{2}T/);
    expect(updated?.updates.length).toBeGreaterThan(0);
    const pendingBefore = /(\d+) actions? pending/.exec(JSON.stringify(before?.reply.card))?.[1];
    const pendingAfter = /(\d+) actions? pending/.exec(JSON.stringify(updated?.reply.card))?.[1];
    expect(Number(pendingAfter)).toBe(Number(pendingBefore) - 1);

    // The console API lets a caller choose the verb: the Run button's data alone still cannot run anything.
    const [fresh] = await turn('contoso-responder', { text: `incident ${id}` });
    const runButton = executes(fresh?.card).find((a) => a.verb === 'response.run');
    expect(runButton).toBeDefined();
    const [crafted] = await turn('contoso-responder', {
      action: { verb: 'response.run.confirm', data: runButton?.data },
    });
    expect(crafted?.text).toMatch(/confirm the run on its confirmation card/);
    const [confirm] = await turn('contoso-responder', {
      action: { verb: 'response.run', data: runButton?.data },
    });
    const go = executes(confirm?.card).find((a) => a.verb === 'response.run.confirm');
    expect((go?.data as { c?: string } | undefined)?.c).toMatch(/^[0-9a-f-]{36}$/);
    const [ran] = await turn('contoso-responder', {
      action: { verb: 'response.run.confirm', data: go?.data },
    });
    expect(ran?.text).toContain('In progress');
  });

  it('logged no errors', () => {
    expect(t.problems.filter((p) => p.level === 'error')).toEqual([]);
  });
});
