import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Incident } from '../../../bot/domain/incident.js';
import { affectedUsers } from '../../../bot/domain/user-check.js';
import type { Reply } from '../../../bot/ports.js';
import { startTestBot, type TestBot } from '../../support/start-test-bot.js';
import { type TestClock, testClock } from '../../support/test-clock.js';

// "Was this you?" in the dev console, the embedded default's whole loop over real HTTP: a responder asks
// the person an incident names, the customer's affected-user persona gets the question in its direct
// messages, someone else's click is refused, the answer lands in the incident's comments (the simulation's
// writer), and unanswered questions are reminded after 1 hour and reported after 4, on the test's clock.

let t: TestBot;
let clock: TestClock;
beforeAll(async () => {
  clock = testClock('2026-11-27T09:00:00.000Z');
  t = await startTestBot({}, { clock });
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

const click = async (personaId: string, verb: string, data: unknown, conversation?: string) =>
  (
    await post('/turn', {
      personaId,
      deliveryId: randomUUID(),
      action: { verb, data },
      ...(conversation ? { conversation } : {}),
    })
  ).replies as Reply[];

type Feed = { posts: { messageId: string; reply: Reply; updates: unknown[] }[] };
const feed = async (conversation: string): Promise<Feed> =>
  (await (
    await fetch(`${t.url}/console/api/alerts?conversation=${encodeURIComponent(conversation)}&since=0`)
  ).json()) as Feed;

function executes(card: unknown): { verb: string; data: Record<string, unknown> }[] {
  const out: { verb: string; data: Record<string, unknown> }[] = [];
  const walk = (n: unknown): void => {
    if (Array.isArray(n)) n.forEach(walk);
    else if (typeof n === 'object' && n !== null) {
      const o = n as Record<string, unknown>;
      if (o.type === 'Action.Execute')
        out.push({ verb: String(o.verb), data: o.data as Record<string, unknown> });
      for (const v of Object.values(o)) walk(v);
    }
  };
  walk(card);
  return out;
}

const USER_DM = 'web:dm:contoso-user';

/** Contoso incidents whose evidence names a person (the simulation's identity and endpoint stories). */
async function namingIncidents(): Promise<Incident[]> {
  const page = await t.bot.store.listIncidents({
    customerId: 'contoso',
    view: 'all',
    severity: null,
    limit: 500,
    offset: 0,
  });
  return page.items.filter((i) => affectedUsers(i).length > 0);
}

describe('"Was this you?" in the dev console', () => {
  let incident: Incident;
  let upn: string;
  let checkId: string;

  it('offers "Ask <user>" on the incident card and asks the person in a direct message', async () => {
    const found = await namingIncidents();
    expect(found.length).toBeGreaterThan(1);
    incident = found[0] as Incident;
    upn = affectedUsers(incident)[0]?.upn ?? '';
    const [card] = (
      await post('/turn', {
        personaId: 'contoso-responder',
        deliveryId: randomUUID(),
        text: `incident ${incident.id}`,
      })
    ).replies as Reply[];
    const ask = executes(card?.card).find((a) => a.verb === 'usercheck.ask');
    expect(ask?.data).toEqual({ id: incident.id, upn });

    const replies = await click('contoso-responder', 'usercheck.ask', ask?.data);
    expect(replies[0]?.text).toContain(`Asked ${upn}: was this you?`);
    expect(replies[0]?.ephemeral).toBe(true);
    const dm = await feed(USER_DM);
    expect(dm.posts).toHaveLength(1);
    const question = dm.posts[0]?.reply;
    expect(question?.text).toContain('Was this you?');
    const answers = executes(question?.card).filter((a) => a.verb === 'usercheck.answer');
    expect(answers.map((a) => a.data.a)).toEqual(['yes', 'no', 'unsure']);
    checkId = String(answers[0]?.data.k);
    // A second press asks nobody again.
    const again = await click('contoso-responder', 'usercheck.ask', ask?.data);
    expect(again[0]?.text).toContain('was already asked');
    expect((await feed(USER_DM)).posts).toHaveLength(1);
  });

  it('refuses an answer from anyone but the person asked, and changes nothing', async () => {
    for (const persona of ['contoso-analyst', 'contoso-responder']) {
      const replies = await click(persona, 'usercheck.answer', { k: checkId, a: 'yes' });
      expect(replies[0]?.text).toContain('only they can answer it');
      expect(replies[0]?.ephemeral).toBe(true);
    }
    // Another customer's person is answered as if there were no such question.
    const other = await click('fabrikam-user', 'usercheck.answer', { k: checkId, a: 'yes' });
    expect(other[0]?.text).toContain('only they can answer it');
    const incidentNow = await t.bot.source.getIncident(customer(), incident.id);
    expect(incidentNow?.comments.some((c) => c.comment.includes(checkId))).toBe(false);
  });

  it('takes the person’s "No", writes it to the incident once, and tells the requester urgently', async () => {
    const replies = await click(
      'contoso-user',
      'usercheck.answer',
      { k: checkId, a: 'no', ucNote: 'I was asleep' },
      USER_DM,
    );
    expect(replies[0]?.text).toContain('You answered "No, this wasn\'t me"');
    const comments = (await t.bot.source.getIncident(customer(), incident.id))?.comments ?? [];
    const written = comments.filter((c) => c.comment.includes(`[Was this you? ${checkId}]`));
    expect(written).toHaveLength(1);
    expect(written[0]?.comment).toContain(`${upn} answered "No, this wasn't me"`);
    expect(written[0]?.comment).toContain('I was asleep');
    const requester = await feed('web:contoso-responder');
    expect(requester.posts.map((p) => p.reply.text).join('\n')).toContain(
      `URGENT: ${upn} says this wasn't them`,
    );
    // The admin (a responder too) is told; a repeated click is answered but writes nothing twice.
    const admin = await feed('web:contoso-admin');
    expect(admin.posts.map((p) => p.reply.text).join('\n')).toContain('URGENT');
    const twice = await click('contoso-user', 'usercheck.answer', { k: checkId, a: 'yes' }, USER_DM);
    expect(twice[0]?.text).toContain('Already answered');
    await t.bot.userChecks.pass.runOnce();
    const after = (await t.bot.source.getIncident(customer(), incident.id))?.comments ?? [];
    expect(after.filter((c) => c.comment.includes(checkId))).toHaveLength(1);
  });

  it('reminds after 1 hour, tells the requester after 4, once each, and lets the requester withdraw', async () => {
    const found = await namingIncidents();
    const second = found.find((i) => i.id !== incident.id) as Incident;
    const who = affectedUsers(second)[0]?.upn ?? '';
    const asked = await click('contoso-responder', 'usercheck.ask', { id: second.id, upn: who });
    const cancel = executes(asked[0]?.card).find((a) => a.verb === 'usercheck.cancel');
    expect(cancel).toBeDefined();
    const before = (await feed(USER_DM)).posts.length;
    clock.advance(59 * 60_000);
    expect(await t.bot.userChecks.pass.runOnce()).toMatchObject({ reminded: 0, escalated: 0 });
    clock.advance(2 * 60_000);
    expect(await t.bot.userChecks.pass.runOnce()).toMatchObject({ reminded: 1, escalated: 0 });
    expect(await t.bot.userChecks.pass.runOnce()).toMatchObject({ reminded: 0, escalated: 0 });
    const dm = (await feed(USER_DM)).posts;
    expect(dm).toHaveLength(before + 1);
    expect(dm.at(-1)?.reply.text).toContain('Reminder: was this you?');
    clock.advance(3 * 3_600_000);
    expect(await t.bot.userChecks.pass.runOnce()).toMatchObject({ reminded: 0, escalated: 1 });
    expect(await t.bot.userChecks.pass.runOnce()).toMatchObject({ escalated: 0 });
    const requester = (await feed('web:contoso-responder')).posts.map((p) => p.reply.text).join('\n');
    expect(requester).toContain(`${who} has not answered in 4 hours`);

    const withdrawn = await click('contoso-responder', 'usercheck.cancel', cancel?.data);
    expect(withdrawn[0]?.text).toContain(`Question to ${who} withdrawn`);
    const k = String(cancel?.data.k);
    const late = await click('contoso-user', 'usercheck.answer', { k, a: 'yes' }, USER_DM);
    expect(late[0]?.text).toContain('withdrawn');
    const comments = (await t.bot.source.getIncident(customer(), second.id))?.comments ?? [];
    expect(comments.some((c) => c.comment.includes(k))).toBe(false);
  });

  it('refuses "Ask" to an analyst and for a person the incident does not name', async () => {
    const refused = await click('contoso-analyst', 'usercheck.ask', { id: incident.id, upn });
    expect(refused[0]?.text).toContain('can ask an affected user');
    const stranger = await click('contoso-responder', 'usercheck.ask', {
      id: incident.id,
      upn: 'ceo@contoso.example',
    });
    expect(stranger[0]?.text).toContain('does not name ceo@contoso.example');
  });
});

type ThreadFeed = { posts: { reply: Reply; thread: { reply: Reply }[] }[] };
const threads = async (conversation: string): Promise<ThreadFeed> =>
  (await (
    await fetch(`${t.url}/console/api/alerts?conversation=${encodeURIComponent(conversation)}&since=0`)
  ).json()) as ThreadFeed;

async function eventually<T>(probe: () => Promise<T | undefined>, what: string): Promise<T> {
  for (let i = 0; i < 100; i += 1) {
    const v = await probe();
    if (v !== undefined) return v;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** The expert hands off incidents until one names a person (the simulation draws its stories). */
async function handOffNaming(): Promise<Incident> {
  for (let i = 0; i < 12; i += 1) {
    const created = await post('/sim/create', { personaId: 'expert', customerId: 'contoso' });
    const id = String((created.incident as { id?: string } | undefined)?.id ?? created.id);
    const target = { personaId: 'expert', customerId: 'contoso', incidentId: id };
    await post('/sim/start', target);
    await post('/sim/classify', {
      ...target,
      classification: 'truePositive',
      determination: 'compromisedAccount',
      summary: 'Compromised account.',
    });
    await post('/sim/handoff', target);
    const stored = await t.bot.store.getIncident('contoso', id);
    if (stored !== null && affectedUsers(stored).length > 0) return stored;
  }
  throw new Error('the simulation handed off no incident naming a person');
}

type AlertPost = ThreadFeed['posts'][number] & { messageId: string; updates: unknown[] };
/** The incident's alert post in Contoso's console alerts channel, once the dispatcher posted it. */
const alertPostOf = (incident: Incident): Promise<AlertPost> =>
  eventually(
    async () =>
      ((await threads('web:alerts:contoso')).posts as AlertPost[]).find((p) =>
        JSON.stringify(p.reply.card).includes(`Incident ${incident.id}`),
      ),
    'the alert post',
  );

/** Asks the person `incident` names from its alert card and returns the question's id from their DM. */
async function askFromAlert(incident: Incident, alertPost: AlertPost): Promise<string> {
  const upn = affectedUsers(incident)[0]?.upn ?? '';
  const ask = executes(alertPost.reply.card).find((a) => a.verb === 'usercheck.ask');
  expect(ask?.data).toEqual({ id: incident.id, upn });
  await click('contoso-responder', 'usercheck.ask', ask?.data, 'web:alerts:contoso');
  return eventually(async () => {
    const dm = (await feed(USER_DM)).posts.at(-1)?.reply;
    const a = executes(dm?.card).find((x) => x.verb === 'usercheck.answer');
    return a !== undefined && JSON.stringify(dm?.card).includes(`"${incident.id}"`)
      ? String(a.data.k)
      : undefined;
  }, 'the question');
}

/** A card's words without the cards' markdown escapes. */
const cardWords = (card: unknown): string => JSON.stringify(card).replaceAll('\\\\', '');

describe('"Was this you?" in the alert thread and the experts’ queue', () => {
  it('says the question and the answer under the alert post and in its queue thread', async () => {
    const incident = await handOffNaming();
    const upn = affectedUsers(incident)[0]?.upn ?? '';
    const k = await askFromAlert(incident, await alertPostOf(incident));
    await click('contoso-user', 'usercheck.answer', { k, a: 'unsure' }, USER_DM);
    const inThread = async (conversation: string, words: string) =>
      (await threads(conversation)).posts.some((p) => p.thread.some((l) => l.reply.text.includes(words)));
    for (const words of [`Asked ${upn}: was this you?`, `${upn} answered: I'm not sure`]) {
      await eventually(async () => ((await inThread('web:alerts:contoso', words)) ? true : undefined), words);
      await eventually(async () => ((await inThread('web:experts-queue', words)) ? true : undefined), words);
    }
    // The card itself says it too, as a neutral line.
    await eventually(
      async () =>
        cardWords((await alertPostOf(incident)).reply.card).includes(`${upn} is not sure this was them`)
          ? true
          : undefined,
      'the "not sure" line on the alert card',
    );
  });

  it('a "No" redraws the posted alert card in place: an urgent banner on top, no new post', async () => {
    const incident = await handOffNaming();
    const upn = affectedUsers(incident)[0]?.upn ?? '';
    const before = await alertPostOf(incident);
    const k = await askFromAlert(incident, before);
    const postsBefore = (await threads('web:alerts:contoso')).posts.length;
    await click('contoso-user', 'usercheck.answer', { k, a: 'no' }, USER_DM);
    const banner = `Affected user ${upn} says this was NOT them (answered ${clock.now().toISOString().slice(0, 16).replace('T', ' ')} UTC)`;
    const after = await eventually(async () => {
      const p = await alertPostOf(incident);
      return cardWords(p.reply.card).includes(banner) ? p : undefined;
    }, 'the redrawn alert card');
    // The same post, updated; the banner leads the card and the card's tone is raised.
    expect(before.messageId).toEqual(expect.any(String));
    expect(after.messageId).toBe(before.messageId);
    expect(after.updates.length).toBeGreaterThan(before.updates.length);
    const [top, lifecycle] = (after.reply.card as unknown as { body: Record<string, unknown>[] }).body;
    expect(top?.style).toBe('attention');
    expect(cardWords(top)).toContain(banner);
    expect(lifecycle?.style).toBe('attention');
    expect(after.reply.text.split('\n')[0]).toBe(`URGENT: ${banner}`);
    expect((await threads('web:alerts:contoso')).posts).toHaveLength(postsBefore);
    // Another customer's channel shows nothing of it.
    const fabrikam = JSON.stringify(await threads('web:alerts:fabrikam'));
    expect(fabrikam).not.toContain('NOT them');
    expect(fabrikam).not.toContain(upn);
  });
});

function customer() {
  const c = t.bot.directory.customers.find((x) => x.id === 'contoso');
  if (c === undefined) throw new Error('no contoso');
  return c;
}
