import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Reply } from '../../../bot/ports.js';
import { startTestBot, type TestBot } from '../../support/start-test-bot.js';

// The console API over real HTTP against the real bot (SQLite store, simulated source) started in-process.

let t: TestBot;
beforeAll(async () => {
  t = await startTestBot();
});
afterAll(async () => {
  await t?.cleanup();
});

interface Answer {
  readonly status: number;
  readonly type: string;
  readonly body: Record<string, unknown>;
}

async function call(path: string, body?: unknown, contentType = 'application/json'): Promise<Answer> {
  const init: RequestInit =
    body === undefined
      ? {}
      : {
          method: 'POST',
          headers: { 'Content-Type': contentType },
          body: typeof body === 'string' ? body : JSON.stringify(body),
        };
  const res = await fetch(`${t.url}/console/api${path}`, init);
  return { status: res.status, type: res.headers.get('content-type') ?? '', body: await res.json() };
}

async function say(personaId: string, text: string, deliveryId = randomUUID()): Promise<readonly Reply[]> {
  const answer = await call('/turn', { personaId, deliveryId, text });
  expect(answer.status).toBe(200);
  return answer.body.replies as Reply[];
}

interface Row {
  readonly id: string;
  readonly status: string;
  readonly statusValue: string;
}

async function incidentsOf(customer: string): Promise<readonly Row[]> {
  const answer = await call(`/sim/incidents?customer=${customer}`);
  expect(answer.status).toBe(200);
  return answer.body.incidents as Row[];
}

const cardJson = (replies: readonly Reply[]): string => JSON.stringify(replies.map((r) => r.card));
const reader = (): string => {
  const c = t.bot.directory.customers.find((x) => x.expertsAccess === 'reader');
  if (c === undefined) throw new Error('the demo directory has no reader customer');
  return c.id;
};

describe('console API', () => {
  it('lists every persona with the roles the core resolves', async () => {
    const answer = await call('/personas');
    expect(answer.status).toBe(200);
    const personas = answer.body.personas as { id: string; roles: string[]; kind: string }[];
    const byId = new Map(personas.map((p) => [p.id, p]));
    for (const c of t.bot.directory.customers) {
      for (const kind of ['analyst', 'responder', 'admin']) expect(byId.has(`${c.id}-${kind}`)).toBe(true);
    }
    expect(byId.get('contoso-responder')?.roles).toEqual(['analyst', 'responder']);
    expect(byId.get('expert')?.roles).toEqual(['expert']);
    expect(personas.filter((p) => p.kind === 'sdm').map((p) => p.id)).toEqual([
      'sdm:dana@provider.example',
      'sdm:sam@provider.example',
    ]);
    expect(answer.body.simulation).toBe(true);
  });

  it('shows a visitor from an unlinked workspace only how to link it, and no data', async () => {
    for (const text of ['help', 'incidents', 'summary']) {
      const replies = await say('unlinked', text);
      expect(replies).toHaveLength(1);
      expect(replies[0]?.text).toMatch(/not linked to Defender Experts/);
      for (const c of t.bot.directory.customers) expect(JSON.stringify(replies)).not.toContain(c.name);
    }
  });

  it('answers `incidents awaiting` for a reader customer’s responder with a list card', async () => {
    const replies = await say(`${reader()}-responder`, 'incidents awaiting');
    expect(replies).toHaveLength(1);
    const card = replies[0]?.card;
    expect(card?.type).toBe('AdaptiveCard');
    expect(JSON.stringify(card)).toContain('"verb":"incident.show"');
    expect(replies[0]?.text).toContain('Awaiting customer action');
  });

  it('answers an id of another customer exactly like an unknown id', async () => {
    const own = new Set((await incidentsOf('contoso')).map((i) => i.id));
    const foreign = (await incidentsOf('fabrikam')).find((i) => !own.has(i.id));
    expect(foreign).toBeDefined();
    const id = foreign?.id ?? '';
    const unknown = '98765432';
    const a = await say('contoso-responder', `incident ${id}`);
    const b = await say('contoso-responder', `incident ${unknown}`);
    const shape = (replies: readonly Reply[], x: string): string =>
      JSON.stringify(replies).split(x).join('<id>');
    expect(shape(a, id)).toBe(shape(b, unknown));
    expect(JSON.stringify(a)).toContain('Incident not found');
  });

  it('refuses unknown personas, other content types, malformed and oversized bodies', async () => {
    const unknown = await call('/turn', {
      personaId: 'nobody-analyst',
      deliveryId: randomUUID(),
      text: 'help',
    });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error).toBe('unknown_persona');

    const plain = await call('/turn', 'help', 'text/plain');
    expect(plain.status).toBe(415);
    expect(plain.type).toContain('application/json');
    const form = await call(
      '/turn',
      'personaId=contoso-analyst&text=help',
      'application/x-www-form-urlencoded',
    );
    expect(form.status).toBe(415);

    const broken = await call('/turn', '{"personaId":', 'application/json');
    expect(broken.status).toBe(400);
    const badId = await call('/turn', {
      personaId: 'contoso-analyst',
      deliveryId: 'not-a-uuid',
      text: 'help',
    });
    expect(badId.status).toBe(400);
    expect(String(badId.body.message)).toContain('deliveryId');
    const both = await call('/turn', {
      personaId: 'contoso-analyst',
      deliveryId: randomUUID(),
      text: 'help',
      action: { verb: 'help', data: {} },
    });
    expect(both.status).toBe(400);
    expect((await call('/turn', { personaId: 'contoso-analyst', deliveryId: randomUUID() })).status).toBe(
      400,
    );

    const huge = await call('/turn', {
      personaId: 'contoso-analyst',
      deliveryId: randomUUID(),
      text: 'x'.repeat(20_001),
    });
    expect(huge.status).toBe(413);
    expect(huge.body.error).toBe('too_large');
    // At the console's limit the core answers with its own, polite refusal.
    const long = await say('contoso-analyst', 'x'.repeat(20_000));
    expect(cardJson(long)).toContain('Message too long');
  });

  it('answers a resent deliveryId with no replies', async () => {
    const deliveryId = randomUUID();
    expect(await say('contoso-analyst', 'help', deliveryId)).not.toHaveLength(0);
    expect(await say('contoso-analyst', 'help', deliveryId)).toEqual([]);
  });

  it('runs card actions as action turns', async () => {
    const answer = await call('/turn', {
      personaId: 'contoso-analyst',
      deliveryId: randomUUID(),
      action: { verb: 'incidents.list', data: { view: 'all', severity: null, offset: 0 } },
    });
    expect(answer.status).toBe(200);
    expect((answer.body.replies as Reply[])[0]?.mode).toBe('replace');
  });

  it('moves an incident through the expert endpoints, visible to the customer at once', async () => {
    const customerId = reader();
    const created = await call('/sim/create', { personaId: 'expert', customerId });
    expect(created.status).toBe(200);
    const id = (created.body.incident as Row).id;
    expect(cardJson(await say(`${customerId}-analyst`, `incident ${id}`))).toContain('Active');

    const target = { personaId: 'expert', customerId, incidentId: id };
    expect((await call('/sim/start', target)).status).toBe(200);
    expect(cardJson(await say(`${customerId}-analyst`, `incident ${id}`))).toContain('In progress');

    const classified = await call('/sim/classify', {
      ...target,
      classification: 'truePositive',
      determination: 'malware',
      summary: 'Malware executed from a phishing attachment.',
    });
    expect(classified.status).toBe(200);
    const handed = await call('/sim/handoff', target);
    expect(handed.status).toBe(200);
    expect((handed.body.incident as Row).status).toBe('Awaiting customer action');
    const detail = cardJson(await say(`${customerId}-responder`, `incident ${id}`));
    expect(detail).toContain('Awaiting customer action');
    expect(detail).toContain('Malware executed from a phishing attachment');

    const commented = await call('/sim/comment', { ...target, text: 'Please isolate the device today.' });
    expect(commented.status).toBe(200);
    expect(cardJson(await say(`${customerId}-analyst`, `incident ${id}`))).toContain(
      'Please isolate the device',
    );
  });

  it('answers an invalid transition with 400 and changes nothing', async () => {
    const customerId = reader();
    const created = await call('/sim/create', { personaId: 'expert', customerId });
    const id = (created.body.incident as Row).id;
    const before = await say(`${customerId}-analyst`, `incident ${id}`);
    const rowsBefore = await incidentsOf(customerId);

    const bad = await call('/sim/classify', {
      personaId: 'expert',
      customerId,
      incidentId: id,
      classification: 'falsePositive',
      determination: 'notMalicious',
      summary: 'Expected admin activity.',
    });
    expect(bad.status).toBe(400);
    expect(String(bad.body.message)).toMatch(/start the investigation/i);
    expect(await incidentsOf(customerId)).toEqual(rowsBefore);
    expect(cardJson(await say(`${customerId}-analyst`, `incident ${id}`))).toBe(cardJson(before));
  });

  it('lets only the expert persona drive the simulation', async () => {
    const answer = await call('/sim/step', { personaId: `${reader()}-admin` });
    expect(answer.status).toBe(403);
    expect((await call('/sim/step', { personaId: 'expert' })).status).toBe(200);
    expect((await call('/sim/pause', { personaId: 'expert', paused: true })).body.paused).toBe(true);
  });

  it('serves the page, its assets and the Adaptive Cards renderer', async () => {
    const page = await fetch(`${t.url}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(await page.text()).toContain('/console/assets/adaptivecards.min.js');
    const renderer = await fetch(`${t.url}/console/assets/adaptivecards.min.js`);
    expect(renderer.status).toBe(200);
    expect(await renderer.text()).toContain('AdaptiveCards');
    expect((await fetch(`${t.url}/console/assets/..%2Fconsole-router.ts`)).status).toBe(404);
    // Handoffs made through the expert endpoints above reached Contoso’s alerts channel as cards.
    const alerts = (await call('/alerts?conversation=web:alerts:contoso&since=0')).body;
    expect(alerts.conversationId).toBe('web:alerts:contoso');
    const posts = alerts.posts as Array<{ reply: { card: unknown } }>;
    const handoffs = posts.filter((p) =>
      JSON.stringify(p.reply.card).includes('Action needed: handed off to you'),
    );
    expect(handoffs.length).toBeGreaterThanOrEqual(1);
  });

  it('logged no errors', () => {
    expect(t.problems.filter((p) => p.level === 'error')).toEqual([]);
  });
});
