import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Reply } from '../../../../bot/ports.js';
import type { SdmDeps } from '../../../../bot/sdm/deps.js';
import { createCheckinReminders } from '../../../../bot/sdm/reminders.js';
import { SDM_INPUTS } from '../../../../cards/sdm-verbs.js';
import { VERBS } from '../../../../cards/verbs.js';
import { type CoreHarness, webUser } from '../../../support/core-harness.js';
import type { RecordingChat } from '../../../support/recording-chat.js';
import { createSdmFlowHarness } from './sdm-deps.js';

// Readiness check-ins through the real bot core: who may start one and change items (the customer's people
// and their SDM only), that changes persist, what changed since the last check-in, and overdue reminders.

const analyst = webUser('contoso-analyst', 'customer:contoso');
const fabrikam = webUser('fabrikam-admin', 'customer:fabrikam');
const dana = webUser('dana@provider.example', 'experts'); // SDM of contoso and woodgrove
const sam = webUser('sam@provider.example', 'experts'); // SDM of fabrikam
const expert = webUser('expert', 'experts');
const DAY = 86_400_000;
const HOUR = 3_600_000;

let h: CoreHarness;
let chat: RecordingChat;
let sdm: SdmDeps;

const texts = (replies: readonly Reply[]): string => replies.map((r) => r.text).join('\n');

beforeEach(async () => {
  ({ h, chat, sdm } = await createSdmFlowHarness());
});

afterEach(async () => {
  await h.cleanup();
});

const firstItemKey = async (): Promise<string> => {
  const [item] = await sdm.store.listItems('contoso');
  if (item === undefined) throw new Error('no items');
  return item.key;
};

const save = (who: typeof analyst, key: string, fields: Record<string, unknown>) =>
  h.click(who, VERBS.checkinSave, { customer: 'contoso', key, ...fields });

describe('checkin start', () => {
  it('is for the customer’s SDM only', async () => {
    expect(texts(await h.say(analyst, 'checkin start contoso'))).toMatch(/Only your SDM starts/);
    expect(texts(await h.say(sam, 'checkin start contoso'))).toMatch(/not the SDM of "contoso"/);
    expect(texts(await h.say(expert, 'checkin start contoso'))).toMatch(
      /Only a customer’s people and their SDM/,
    );
    expect(await sdm.store.latestCheckin('contoso')).toBeNull();
    expect(chat.deliveries).toHaveLength(0);
  });

  it('posts the prioritised checklist to the customer’s service channel', async () => {
    const replies = await h.say(dana, 'checkin start contoso');
    expect(texts(replies)).toMatch(/Readiness check-in #1 — Contoso Ltd/);
    expect(texts(replies)).toMatch(/Posted check-in #1 to 1 Contoso Ltd channel/);
    const posts = chat.postsIn('web:alerts:contoso');
    expect(posts).toHaveLength(1);
    expect(posts[0]?.text).toMatch(/Readiness check-in #1/);
    const items = await sdm.store.listItems('contoso');
    expect(items.length).toBeGreaterThan(4);
    expect(items.map((i) => i.priority)).toEqual(items.map((_, i) => i + 1));
    expect(items[0]?.key).toBe('readiness:devices');
    expect(items.some((i) => i.kind === 'secureScore' && i.expertsNote !== '')).toBe(true);
    expect(items.every((i) => i.state === 'notStarted')).toBe(true);
  });
});

describe('a second checkin start', () => {
  it('points to the open check-in instead of posting the checklist again', async () => {
    await h.say(dana, 'checkin start contoso');
    h.clock.advance(HOUR);
    const again = texts(await h.say(dana, 'checkin start contoso'));
    expect(again).toMatch(/Check-in #1 is still open/);
    expect(again).toMatch(
      /started on 2026-11-27 by .*It is in 1 Contoso Ltd channel\. Nothing new was posted/,
    );
    expect(again).toMatch(/A new check-in can be started from 2026-12-04/);
    expect(again).toMatch(/Readiness check-in #1 — Contoso Ltd/);
    expect(chat.postsIn('web:alerts:contoso')).toHaveLength(1);
    expect((await sdm.store.latestCheckin('contoso'))?.number).toBe(1);
    // Once it has run its week, the next start is a new check-in.
    h.clock.advance(7 * DAY);
    expect(texts(await h.say(dana, 'checkin start contoso'))).toMatch(/Posted check-in #2/);
    expect(chat.postsIn('web:alerts:contoso')).toHaveLength(2);
  });
});

describe('two checkin starts at once', () => {
  it('posts one check-in and shows the other SDM tab that one, open', async () => {
    const both = (
      await Promise.all([h.say(dana, 'checkin start contoso'), h.say(dana, 'checkin start contoso')])
    ).map(texts);
    expect(both.filter((t) => /Posted check-in #1 to 1 Contoso Ltd channel/.test(t))).toHaveLength(1);
    expect(both.filter((t) => /Check-in #1 is still open/.test(t))).toHaveLength(1);
    expect(both.join('\n')).not.toMatch(/#2/);
    expect(chat.postsIn('web:alerts:contoso')).toHaveLength(1);
    expect((await sdm.store.latestCheckin('contoso'))?.number).toBe(1);
  });
});

describe('updating items', () => {
  beforeEach(async () => {
    await h.say(dana, 'checkin start contoso');
  });

  it('lets the customer’s people edit an item from the card, and persists it', async () => {
    const key = await firstItemKey();
    const form = await h.click(analyst, VERBS.checkinItem, { customer: 'contoso', key });
    expect(form[0]?.mode).toBe('replace');
    expect(JSON.stringify(form[0]?.card)).toContain(SDM_INPUTS.state);
    const saved = await save(analyst, key, {
      [SDM_INPUTS.state]: 'planned',
      [SDM_INPUTS.owner]: 'Alice (IT ops)',
      [SDM_INPUTS.due]: '2026-12-15',
      [SDM_INPUTS.note]: 'after the change freeze',
    });
    expect(saved[0]?.mode).toBe('replace');
    expect(saved[0]?.text).toMatch(/Planned/);
    const [item] = await sdm.store.listItems('contoso');
    expect(item).toMatchObject({
      state: 'planned',
      owner: 'Alice (IT ops)',
      dueDate: '2026-12-15',
      note: 'after the change freeze',
      updatedBy: 'web:contoso-analyst',
    });
  });

  it('keeps an owner that is not a plain name through a state-only save, and clears it with "-"', async () => {
    const key = await firstItemKey();
    await save(analyst, key, { [SDM_INPUTS.owner]: 'Ops: Anna', [SDM_INPUTS.note]: 'tracked in CHG-12' });
    const form = await h.click(analyst, VERBS.checkinItem, { customer: 'contoso', key });
    // The form does not put "Ops: Anna" back into the box, but says it is kept.
    expect(JSON.stringify(form[0]?.card)).toContain('Current owner: Ops: Anna (kept');
    // Hosts send every input of the form: the untouched owner and note boxes arrive empty.
    await save(analyst, key, {
      [SDM_INPUTS.state]: 'planned',
      [SDM_INPUTS.owner]: '',
      [SDM_INPUTS.due]: '',
      [SDM_INPUTS.note]: '',
    });
    expect((await sdm.store.listItems('contoso'))[0]).toMatchObject({
      state: 'planned',
      owner: 'Ops: Anna',
      note: 'tracked in CHG-12',
    });
    await save(analyst, key, { [SDM_INPUTS.state]: 'planned', [SDM_INPUTS.owner]: ' - ' });
    expect((await sdm.store.listItems('contoso'))[0]).toMatchObject({
      owner: null,
      note: 'tracked in CHG-12',
    });
  });

  it('redraws every posted copy of the check-in card after an edit', async () => {
    const key = await firstItemKey();
    const [copy] = chat.postsIn('web:alerts:contoso');
    await save(analyst, key, { [SDM_INPUTS.state]: 'planned' });
    const updates = chat.deliveries.filter(
      (d) => d.op === 'update' && d.conversationId === 'web:alerts:contoso',
    );
    expect(updates).toHaveLength(1);
    expect(updates[0]?.messageId).toBe(copy?.messageId);
    expect(updates[0]?.text).toMatch(/Planned/);
  });

  it('lets their SDM edit too, but not another SDM, an expert, or another customer’s people', async () => {
    const key = await firstItemKey();
    for (const who of [fabrikam, sam, expert]) {
      // An expert who is no SDM is refused by role before any checklist is looked up.
      const answer = who === expert ? /Only a customer’s people and their SDM/ : /No such checklist/;
      const replies = await save(who, key, { [SDM_INPUTS.state]: 'done' });
      expect(texts(replies), who.userId).toMatch(answer);
      const view = await h.click(who, VERBS.checkinItem, { customer: 'contoso', key });
      expect(texts(view)).toMatch(answer);
    }
    expect((await sdm.store.listItems('contoso'))[0]?.state).toBe('notStarted');
    expect(chat.deliveries.filter((d) => d.op === 'update')).toHaveLength(0);
    await save(dana, key, { [SDM_INPUTS.state]: 'riskAccepted', [SDM_INPUTS.note]: 'legacy kiosk fleet' });
    expect((await sdm.store.listItems('contoso'))[0]).toMatchObject({
      state: 'riskAccepted',
      updatedBy: 'web:dana@provider.example',
    });
  });

  it('refuses bad input with a clear answer and changes nothing', async () => {
    const key = await firstItemKey();
    const bad = [
      { [SDM_INPUTS.state]: 'finished' },
      { [SDM_INPUTS.state]: 'done', [SDM_INPUTS.due]: '2026-02-30' },
      { [SDM_INPUTS.state]: 'done', [SDM_INPUTS.owner]: 'x'.repeat(500) },
    ];
    for (const fields of bad) expect(texts(await save(analyst, key, fields))).toMatch(/cannot use/);
    expect(
      texts(await save(analyst, key, { [SDM_INPUTS.state]: 'done', [SDM_INPUTS.owner]: 'y'.repeat(130) })),
    ).toMatch(/Owner too long/);
    expect(texts(await save(analyst, 'score:Nope', { [SDM_INPUTS.state]: 'done' }))).toMatch(
      /No such checklist/,
    );
    expect((await sdm.store.listItems('contoso'))[0]).toMatchObject({ state: 'notStarted', owner: null });
  });

  it('accepts due dates from today to a year ahead, and keeps a date that has since passed', async () => {
    const key = await firstItemKey();
    // The harness's clock stands at 2026-11-27.
    const past = texts(
      await save(analyst, key, { [SDM_INPUTS.state]: 'planned', [SDM_INPUTS.due]: '2026-11-26' }),
    );
    expect(past).toMatch(/Due date not accepted/);
    expect(past).toMatch(/2026-11-26 is in the past\. Choose a date from 2026-11-27 on\. Nothing was saved/);
    const far = texts(
      await save(analyst, key, { [SDM_INPUTS.state]: 'planned', [SDM_INPUTS.due]: '2027-11-29' }),
    );
    expect(far).toMatch(/2027-11-29 is more than a year ahead\. Choose a date up to 2027-11-28/);
    expect((await sdm.store.listItems('contoso'))[0]).toMatchObject({ state: 'notStarted', dueDate: null });
    expect(texts(await save(analyst, key, { [SDM_INPUTS.due]: '2026-11-27' }))).not.toMatch(/not accepted/);
    expect(texts(await save(analyst, key, { [SDM_INPUTS.due]: '2027-11-28' }))).not.toMatch(/not accepted/);
    // The date passes; saving the form again (its date unchanged) to mark the item done still works.
    h.clock.advance(400 * DAY);
    expect(
      texts(await save(analyst, key, { [SDM_INPUTS.state]: 'done', [SDM_INPUTS.due]: '2027-11-28' })),
    ).not.toMatch(/not accepted/);
    expect((await sdm.store.listItems('contoso'))[0]).toMatchObject({ state: 'done', dueDate: '2027-11-28' });
  });

  it('shows what changed since the last check-in, and the SDM sees the progress', async () => {
    const [a, b] = await sdm.store.listItems('contoso');
    if (a === undefined || b === undefined) throw new Error('items');
    await save(analyst, a.key, { [SDM_INPUTS.state]: 'done' });
    await save(analyst, b.key, { [SDM_INPUTS.state]: 'planned' });
    h.clock.advance(30 * DAY);
    const second = texts(await h.say(dana, 'checkin start contoso'));
    expect(second).toMatch(/Readiness check-in #2/);
    expect(second).toMatch(/Since check-in #1/);
    expect(second).toContain(`${a.title}: Not started → Done`);
    expect(second).toContain(`${b.title}: Not started → Planned`);
    const progress = texts(await h.say(dana, 'checkin'));
    expect(progress).toMatch(/Contoso Ltd/);
    expect(progress).toMatch(/Woodgrove Bank/);
    expect(progress).toMatch(/1 of \d+ settled/);
    expect(texts(await h.say(analyst, 'checkin'))).toMatch(/Readiness check-in #2 — Contoso Ltd/);
    const none = texts(await h.say(fabrikam, 'checkin'));
    expect(none).toMatch(/No check-in yet\. Your SDM starts one/);
    // Nothing is settled when there is nothing: no "100%", no "everything below is new".
    expect(none).toMatch(/Settled — /);
    expect(none).not.toMatch(/100%|everything below is new/);
    // Dana has not started Woodgrove's: she is told how to, not that "your SDM" will.
    expect(progress).toContain('No check-in yet. Start one with "checkin start woodgrove".');
  });
});

describe('overdue reminders', () => {
  it('reminds each overdue item once a day in the service channel, until it is settled', async () => {
    await h.say(dana, 'checkin start contoso');
    const [a, b] = await sdm.store.listItems('contoso');
    if (a === undefined || b === undefined) throw new Error('items');
    await save(analyst, a.key, {
      [SDM_INPUTS.state]: 'planned',
      [SDM_INPUTS.due]: '2026-11-28',
      [SDM_INPUTS.owner]: 'Alice',
    });
    await save(analyst, b.key, { [SDM_INPUTS.state]: 'done', [SDM_INPUTS.due]: '2026-11-28' });
    const reminders = createCheckinReminders({
      directory: h.directory,
      store: h.store,
      sdmStore: sdm.store,
      chatFor: (p) => (p === 'web' ? chat : undefined),
      clock: h.clock,
      logger: { debug() {}, info() {}, warn() {}, error() {} },
    });
    const before = chat.postsIn('web:alerts:contoso').length;
    expect(await reminders.runOnce()).toBe(0); // due tomorrow: not overdue yet
    h.clock.advance(2 * DAY - 7 * HOUR); // 02:00 UTC, overdue: not in the middle of the night
    expect(await reminders.runOnce()).toBe(0);
    h.clock.advance(7 * HOUR); // 09:00 UTC
    expect(await reminders.runOnce()).toBe(1);
    expect(await reminders.runOnce()).toBe(0); // same day: once
    const posted = chat.postsIn('web:alerts:contoso').slice(before);
    expect(posted).toHaveLength(1);
    expect(posted[0]?.text).toContain(a.title);
    expect(posted[0]?.text).toMatch(/owner Alice/);
    expect(posted[0]?.text).not.toContain(b.title);
    h.clock.advance(DAY);
    expect(await reminders.runOnce()).toBe(1); // next day again
    await save(analyst, a.key, { [SDM_INPUTS.state]: 'done' });
    h.clock.advance(DAY);
    expect(await reminders.runOnce()).toBe(0);
  });
});
