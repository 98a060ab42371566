import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Reply } from '../../../bot/ports.js';
import { startTestBot, type TestBot } from '../../support/start-test-bot.js';

// `find <text>` in the dev console, over real HTTP against the real bot (SQLite store, simulated source):
// the caller's own incidents by id and by words of the title, never another customer's.

let t: TestBot;
beforeAll(async () => {
  t = await startTestBot();
});
afterAll(async () => {
  await t?.cleanup();
});

interface Row {
  readonly id: string;
  readonly title: string;
}

async function incidentsOf(customer: string): Promise<readonly Row[]> {
  const res = await fetch(`${t.url}/console/api/sim/incidents?customer=${customer}`);
  expect(res.status).toBe(200);
  return ((await res.json()) as { incidents: Row[] }).incidents;
}

async function say(personaId: string, text: string): Promise<string> {
  const res = await fetch(`${t.url}/console/api/turn`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ personaId, deliveryId: randomUUID(), text }),
  });
  expect(res.status).toBe(200);
  return JSON.stringify(((await res.json()) as { replies: Reply[] }).replies);
}

describe('find in the console', () => {
  it('finds the caller’s own incident by id and by a word of its title', async () => {
    const [mine] = await incidentsOf('contoso');
    if (mine === undefined) throw new Error('Contoso has no incidents');
    const byId = await say('contoso-analyst', `find ${mine.id}`);
    expect(byId).toContain(`#${mine.id}`);
    expect(byId).toContain('Incidents matching');
    const word = mine.title.split(/\s+/).find((w) => /^[A-Za-z]{5,}$/.test(w));
    if (word === undefined) throw new Error(`no searchable word in "${mine.title}"`);
    expect(await say('contoso-analyst', `find ${word.toUpperCase()}`)).toContain(`#${mine.id}`);
  });

  it('never finds another customer’s incident, and says so as for any miss', async () => {
    const [theirs] = await incidentsOf('fabrikam');
    if (theirs === undefined) throw new Error('Fabrikam has no incidents');
    const answer = await say('contoso-analyst', `find ${theirs.id}`);
    expect(answer).toContain('No incident matches');
    expect(answer).not.toContain(`#${theirs.id}`);
    expect(answer).not.toContain(theirs.title);
  });

  it('asks for something to search for, and is not for the provider’s experts', async () => {
    expect(await say('contoso-analyst', 'find')).toContain('Try: find <text>');
    expect(await say('expert', 'find 1')).not.toContain('Incidents matching');
  });
});
