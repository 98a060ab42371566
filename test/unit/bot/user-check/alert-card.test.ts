import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { createUserCheckStore } from '../../../../adapters/store/user-check/user-check-store.js';
import type { Incident } from '../../../../bot/domain/incident.js';
import type { UserCheckAnswer } from '../../../../bot/domain/user-check.js';
import { presentUserChecks, queueAlertRedraw } from '../../../../bot/user-check/alert-card.js';
import type { UserCheckStore } from '../../../../bot/user-check/user-check-ports.js';
import { type AlertsHarness, createAlertsHarness, webChannel } from '../../../support/alerts-harness.js';

// "Was this you?" on the alert card, over the real alert pipeline (SQLite, the simulation, the dispatcher,
// a recording chat): an answer redraws the incident's posted card in place in each of the customer's
// channels, the "No" as an attention banner on top, the "Yes" as a calm line; nothing is posted anew and
// another customer's channel hears nothing.

let h: AlertsHarness;
let checks: UserCheckStore;
afterEach(async () => {
  await h.cleanup();
});

async function harness(): Promise<void> {
  h = await createAlertsHarness({
    present: async (sqlite) => {
      checks = await createUserCheckStore(sqlite.host);
      return presentUserChecks(checks);
    },
  });
}

/** Asks and answers a question about `incident` in the store, then queues the redraw as the service does. */
async function answered(incident: Incident, answer: UserCheckAnswer, customerId = 'contoso') {
  const { check } = await checks.create({
    id: `UC-${randomUUID().slice(0, 6).toUpperCase()}`,
    customerId,
    incidentId: incident.id,
    upn: 'alex.wilber@contoso.example',
    platform: 'web',
    targetUserId: 'contoso-user',
    dm: null,
    seen: 'Sign-in to Exchange Online from 203.0.113.7',
    requesterId: 'web:contoso-responder',
    requester: { platform: 'web', workspace: 'console', userId: 'r', name: 'Dana', direct: null },
    createdAt: h.clock.now().toISOString(),
  });
  h.clock.advance(60_000);
  const done = await checks.answer(customerId, check.id, answer, null, '2026-11-27T09:14:00.000Z');
  if (done === null) throw new Error('not answered');
  return queueAlertRedraw(h.store, done, `alex.wilber@contoso.example answered: ${answer}`, h.clock.now());
}

type Card = { body: Record<string, unknown>[] };
const card = (text: string | undefined): Card => JSON.parse(text ?? '{}') as Card;
/** An element's JSON with the cards' markdown escapes taken out, to read its words. */
const words = (el: unknown): string => JSON.stringify(el).replaceAll('\\\\', '');

describe('"Was this you?" on the alert card', () => {
  it('a "No" redraws the posted card in place with an attention banner on top and the tone raised', async () => {
    await harness();
    await h.bind('soc', webChannel('web:soc'));
    await h.bind('sec', webChannel('web:sec'));
    const incident = await h.handOffNew();
    await h.settle();
    const before = h.chat.deliveries.length;
    const posts = ['web:soc', 'web:sec'].map((c) => h.chat.postsIn(c)[0]?.messageId);
    expect(posts.every((p) => p !== undefined)).toBe(true);

    expect(await answered(incident, 'no')).toBe(2);
    await h.settle();
    const redraws = h.chat.deliveries.slice(before);
    // One in-place update per channel: no new post, no thread line.
    expect(redraws.map((d) => d.op)).toEqual(['update', 'update']);
    expect(redraws.map((d) => d.messageId).sort()).toEqual([...posts].sort());
    for (const d of redraws) {
      const [top, lifecycle] = card(d.text).body;
      expect(top?.style).toBe('attention');
      expect(words(top)).toContain(
        'Affected user alex.wilber@contoso.example says this was NOT them (answered 2026-11-27 09:14 UTC)',
      );
      expect(lifecycle?.style).toBe('attention');
      expect(JSON.stringify(lifecycle)).toContain('Action needed: handed off to you');
    }
    expect(h.chat.postsIn('web:soc')).toHaveLength(1);

    // The banner stays on later redraws: the next lifecycle update draws the card with the answer again.
    h.clock.advance(60_000);
    await h.sim.comment('contoso', incident.id, 'Defender Experts', 'Resetting the password now.');
    await h.settle();
    const later = h.chat.deliveries.filter((d) => d.op === 'update').at(-1);
    expect(later?.text).toContain('says this was NOT them');
    // A second queue of the same answer adds nothing.
    const check = (await checks.listForIncident('contoso', incident.id))[0];
    if (check === undefined) throw new Error('no check');
    expect(await queueAlertRedraw(h.store, check, 'again', h.clock.now())).toBe(0);
  });

  it('a "Yes" shows a calm line and leaves the card’s tone as it was', async () => {
    await harness();
    await h.bind('soc', webChannel('web:soc'));
    const incident = await h.handOffNew();
    await h.settle();
    await answered(incident, 'yes');
    await h.settle();
    const update = h.chat.deliveries.at(-1);
    expect(update?.op).toBe('update');
    const body = card(update?.text).body;
    expect(body[0]?.style).toBe('warning');
    expect(JSON.stringify(body)).not.toContain('NOT them');
    const line = body.find((el) => JSON.stringify(el).includes('confirmed this was them'));
    expect(line?.style).toBe('good');
    expect(words(line)).toContain(
      'alex.wilber@contoso.example confirmed this was them (answered 2026-11-27 09:14 UTC)',
    );
  });

  it('never reaches another customer’s channel, and starts no post where there is none', async () => {
    await harness();
    await h.bind('soc', webChannel('web:soc'));
    await h.store.saveBinding({
      id: 'fab',
      customerId: 'fabrikam',
      conversation: webChannel('web:fabrikam'),
      events: ['handedOff'],
      onCall: null,
      createdBy: 'web:fabrikam-admin',
      createdAt: h.clock.now().toISOString(),
      paused: false,
    });
    const incident = await h.handOffNew();
    await h.settle();
    const before = h.chat.deliveries.length;
    // The same incident id under another customer: that customer has no post of it, nothing is queued.
    expect(await answered(incident, 'no', 'fabrikam')).toBe(0);
    await h.settle();
    expect(h.chat.deliveries.slice(before)).toEqual([]);
    // A channel of the customer without a post of this incident is not posted to either.
    await h.bind('late', webChannel('web:late'));
    expect(await answered(incident, 'no')).toBe(1);
    await h.settle();
    expect(h.chat.postsIn('web:late')).toEqual([]);
    expect(h.chat.postsIn('web:fabrikam')).toEqual([]);
    expect(h.chat.deliveries.slice(before).map((d) => d.conversationId)).toEqual(['web:soc']);
  });
});
