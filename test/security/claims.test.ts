import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { actions } from '../../bot/actions/registry.js';
import { COMMAND_PERMISSIONS, VERB_PERMISSIONS } from '../../bot/authz/permissions.js';
import { commands } from '../../bot/commands/registry.js';
import type { Reply } from '../../bot/ports.js';
import { startTestBot, type TestBot } from '../support/start-test-bot.js';

// Who may act on a question, tried against the running bot over the console's HTTP API: an SDM who is no
// expert sends Claim with another customer's question id and must learn nothing and change nothing; the
// table that decides it covers every command and verb the bot registers.

const QUESTION = 'Is the 03:00 sign-in from Lagos for the finance director expected?';
let t: TestBot;
beforeAll(async () => {
  t = await startTestBot({ RELAY_SETTLE_MS: '0' });
});
afterAll(async () => {
  await t?.cleanup();
});

async function turn(body: Record<string, unknown>): Promise<readonly Reply[]> {
  const res = await fetch(`${t.url}/console/api/turn`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ deliveryId: randomUUID(), ...body }),
  });
  expect(res.status).toBe(200);
  return ((await res.json()) as { replies: Reply[] }).replies;
}

const json = (x: unknown): string => JSON.stringify(x);

describe('question claim, answer and resolve belong to the experts', () => {
  it('refuses an SDM who is no expert, tells them nothing of the question, and leaves it open', async () => {
    const asked = await turn({ personaId: 'contoso-analyst', text: `ask ${QUESTION}` });
    const id = /Question (Q-[0-9A-Z]+)/.exec(json(asked))?.[1] as string;
    expect(id).toBeDefined();

    // Sam manages Fabrikam only; Dana manages Contoso. Neither is an expert.
    for (const sdm of ['sdm:sam@provider.example', 'sdm:dana@provider.example']) {
      for (const verb of ['question.claim', 'question.resolve']) {
        const refused = await turn({ personaId: sdm, action: { verb, data: { id } } });
        const said = json(refused);
        expect(said, `${sdm} ${verb}`).toMatch(/Not available here|Only Defender Experts/);
        for (const secret of ['Lagos', 'finance director', 'Contoso', 'contoso-analyst', 'Claimed'])
          expect(said, `${sdm} ${verb} leaks ${secret}`).not.toContain(secret);
      }
      const queue = await turn({ personaId: sdm, text: 'questions' });
      expect(json(queue)).not.toContain('Lagos');
    }

    // The question is still open: the asker's list says so and an expert can still take it.
    const mine = await turn({ personaId: 'contoso-analyst', text: 'questions' });
    expect(json(mine)).not.toMatch(/Claimed|An expert is looking/);
    const claimed = await turn({ personaId: 'expert', action: { verb: 'question.claim', data: { id } } });
    expect(json(claimed)).toContain('Claimed by');
  });

  it('has one permission entry for every registered command and verb, and none for anything else', () => {
    expect(Object.keys(COMMAND_PERMISSIONS).sort()).toEqual(
      commands()
        .map((c) => c.name)
        .sort(),
    );
    expect(Object.keys(VERB_PERMISSIONS).sort()).toEqual(
      actions()
        .map((a) => a.verb)
        .sort(),
    );
    for (const p of [...Object.values(COMMAND_PERMISSIONS), ...Object.values(VERB_PERMISSIONS)])
      expect(p.who.length).toBeGreaterThan(0);
  });

  it('gives the provider’s question verbs to experts only and guided response to responders and admins', () => {
    expect(VERB_PERMISSIONS['question.claim'].who).toEqual(['expert']);
    for (const verb of ['question.resolve', 'questions.list'] as const)
      expect(VERB_PERMISSIONS[verb].who).not.toContain('sdm');
    for (const [verb, p] of Object.entries(VERB_PERMISSIONS).filter(([v]) => v.startsWith('response.')))
      expect([...p.who].sort(), verb).toEqual(['admin', 'responder']);
    expect(COMMAND_PERMISSIONS.subscribe.who).toEqual(['admin']);
    expect(COMMAND_PERMISSIONS.unsubscribe.who).toEqual(['admin']);
  });
});
