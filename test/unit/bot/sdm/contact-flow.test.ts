import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createRelayStore } from '../../../../adapters/store/relay/relay-store.js';
import type { Principal } from '../../../../bot/domain/actor.js';
import type { Reply } from '../../../../bot/ports.js';
import { createRelay } from '../../../../bot/relay/relay.js';
import { createRelayWorker, type RelayWorker } from '../../../../bot/relay/relay-worker.js';
import type { SdmDeps } from '../../../../bot/sdm/deps.js';
import { createRelayContactDelivery, registerSdmRelayHooks } from '../../../../bot/sdm/relay-delivery.js';
import { createCheckinReminders } from '../../../../bot/sdm/reminders.js';
import { SDM_INPUTS } from '../../../../cards/sdm-verbs.js';
import { VERBS } from '../../../../cards/verbs.js';
import { type CoreHarness, createCoreHarness, webUser } from '../../../support/core-harness.js';
import { createRecordingChat, type RecordingChat } from '../../../support/recording-chat.js';
import { sdmDepsFor } from './sdm-deps.js';

// SDM contact through the real core and the Ask-experts relay: the card, the forms and their
// validation, and a message that reaches the SDM's direct messages with the SDM's reply coming back.

const analyst: Principal = {
  ...webUser('contoso-analyst', 'customer:contoso'),
  displayName: 'Alice Analyst',
};
const dana: Principal = { ...webUser('dana@provider.example', 'experts'), displayName: 'Dana Reyes' };
const sam = webUser('sam@provider.example', 'experts');
const DANA_DM = 'web:dm:dana@provider.example';
const ALICE_CHAT = 'web:contoso-analyst';

let h: CoreHarness;
let chat: RecordingChat;
let sdm: SdmDeps;
let worker: RelayWorker;
/** How many of the next directConversation calls fail (the platform is down). */
let dmFailures = 0;
const texts = (replies: readonly Reply[]): string => replies.map((r) => r.text).join('\n');
const send = (who: Principal, fields: Record<string, unknown>) => h.click(who, VERBS.sdmSend, fields);
const flush = async (): Promise<void> => {
  h.clock.advance(2_000);
  await worker.runOnce();
};

beforeEach(async () => {
  h = await createCoreHarness({
    deps: async ({ store, clock, logger, directory }) => {
      chat = createRecordingChat(clock);
      dmFailures = 0;
      const open = chat.directConversation?.bind(chat);
      chat.directConversation = async (workspace, user) => {
        if (dmFailures > 0) {
          dmFailures -= 1;
          throw new Error('socket hang up');
        }
        return open === undefined ? null : open(workspace, user);
      };
      const relayStore = await createRelayStore(store.host);
      worker = createRelayWorker({ store: relayStore, chatFor: () => chat, clock, logger });
      const relay = createRelay({ store: relayStore, clock, logger, settleMs: 1_000 });
      registerSdmRelayHooks(relay, directory);
      sdm = await sdmDepsFor(
        store,
        () => chat,
        createRelayContactDelivery({
          relay,
          directory,
          chatFor: () => chat,
          workspaces: { teams: null, slack: directory.experts.slackTeamId, web: 'experts' },
        }),
      );
      return { sdm, relay };
    },
  });
});

afterEach(async () => {
  await h.cleanup();
});

describe('the sdm card', () => {
  it('names the SDM, how to reach them, the next review, and offers the five contact forms', async () => {
    const [card] = await h.say(analyst, 'who is my sdm?');
    expect(card?.text).toMatch(/Your service delivery manager: Dana Reyes/);
    expect(card?.text).toMatch(/dana@provider\.example/);
    expect(card?.text).toMatch(/Next business review: Monthly/);
    const json = JSON.stringify(card?.card);
    for (const kind of ['message', 'escalation', 'feedback', 'optOut', 'bookReview'])
      expect(json).toContain(`"kind":"${kind}"`);
    const [form] = await h.click(analyst, VERBS.sdmForm, { kind: 'escalation' });
    expect(form?.mode).toBe('replace');
    expect(JSON.stringify(form?.card)).toContain(SDM_INPUTS.severity);
    expect(texts(await h.say(dana, 'sdm'))).toMatch(/works in a customer’s workspace/);
    // The console user is not offered a Slack DM or a Teams chat they cannot open from here.
    expect(card?.text).not.toMatch(/Slack DM|Teams chat/);
  });
});

describe('sending to the SDM', () => {
  it('validates each form and sends nothing on bad input', async () => {
    const bad: [Record<string, unknown>, RegExp][] = [
      [{ kind: 'message', [SDM_INPUTS.text]: '   ' }, /text is empty/],
      [
        { kind: 'escalation', [SDM_INPUTS.text]: 'late handoff', [SDM_INPUTS.severity]: 'urgent' },
        /Pick a severity/,
      ],
      [{ kind: 'escalation', [SDM_INPUTS.text]: '', [SDM_INPUTS.severity]: 'high' }, /text is empty/],
      [{ kind: 'bookReview', [SDM_INPUTS.date]: '2026-11-01' }, /in the past/],
      [{ kind: 'bookReview' }, /Pick the date/],
      [{ kind: 'message', [SDM_INPUTS.text]: 'x'.repeat(3500) }, /under 3000 characters/],
    ];
    for (const [fields, message] of bad) expect(texts(await send(analyst, fields))).toMatch(message);
    expect(texts(await send(analyst, { kind: 'shout', [SDM_INPUTS.text]: 'hi' }))).toMatch(/cannot use/);
    expect(await sdm.store.listContactRequests('contoso', 10)).toEqual([]);
    await flush();
    expect(chat.deliveries).toEqual([]);
  });

  it('relays an escalation to the SDM’s DM, and the SDM’s reply back to the customer’s thread', async () => {
    const sent = await send(analyst, {
      kind: 'escalation',
      [SDM_INPUTS.severity]: 'high',
      [SDM_INPUTS.text]: 'Handoff 42 reached us <!channel> 3 hours late',
    });
    expect(texts(sent)).toMatch(/Sent to Dana Reyes/);
    const [request] = await sdm.store.listContactRequests('contoso', 10);
    expect(request).toMatchObject({ kind: 'escalation', severity: 'high', fromUser: 'web:contoso-analyst' });
    await flush();
    const toDana = chat.postsIn(DANA_DM);
    expect(toDana).toHaveLength(1);
    expect(toDana[0]?.text).toMatch(/Escalation \(high severity\) from Contoso Ltd · Alice Analyst/);
    const toAlice = chat.postsIn(ALICE_CHAT);
    expect(toAlice).toHaveLength(1);
    // The SDM answers in the thread under the request.
    const root = toDana[0]?.messageId ?? '';
    await h.send({
      principal: dana,
      conversation: { platform: 'web', id: DANA_DM, threadId: root, kind: 'personal' },
      input: {
        kind: 'message',
        text: 'Sorry — I am on it, calling you at 3pm.',
        attachmentCount: 0,
        messageId: 'dana-1',
      },
    });
    await flush();
    const back = chat.deliveries.filter((d) => d.op === 'reply' && d.conversationId === ALICE_CHAT);
    expect(back).toHaveLength(1);
    expect(back[0]?.messageId).toBe(toAlice[0]?.messageId);
    expect(back[0]?.text).toMatch(/calling you at 3pm/);
    expect(back[0]?.text).toMatch(/Your SDM \(Dana Reyes\)/);
    // Another SDM cannot answer in Dana's thread.
    const refused = await h.send({
      principal: sam,
      conversation: { platform: 'web', id: DANA_DM, threadId: root, kind: 'personal' },
      input: { kind: 'message', text: 'not mine to answer', attachmentCount: 0, messageId: 'sam-1' },
    });
    expect(texts(refused)).toMatch(/Only this customer’s SDM/);
    await flush();
    expect(chat.deliveries.filter((d) => d.op === 'reply' && d.conversationId === ALICE_CHAT)).toHaveLength(
      1,
    );
  });

  it('takes typed commands, sends a double click once, and shows a booked review on the card', async () => {
    expect(texts(await h.say(analyst, 'sdm please call me about the renewal'))).toMatch(/Sent to Dana Reyes/);
    expect(texts(await h.say(analyst, 'escalate high the experts missed our call'))).toMatch(
      /Sent to Dana Reyes/,
    );
    const esc = (await sdm.store.listContactRequests('contoso', 10)).find((r) => r.kind === 'escalation');
    expect(esc).toMatchObject({ kind: 'escalation', severity: 'high', text: 'the experts missed our call' });
    // "urgent"/"critical" are taken as high, and the confirmation says which level was sent.
    const urgent = texts(await h.say(analyst, 'escalate urgent: the portal shows nothing since 9am'));
    expect(urgent).toMatch(/Your escalation \(high severity\) reached Dana Reyes/);
    expect(texts(await h.say(analyst, 'escalate the weekly call was cancelled'))).toMatch(
      /escalation \(medium severity\)/,
    );
    const typed = (await sdm.store.listContactRequests('contoso', 10)).filter((r) => r.kind === 'escalation');
    expect(typed.map((r) => `${r.severity}: ${r.text}`).sort()).toEqual([
      'high: the experts missed our call',
      'high: the portal shows nothing since 9am',
      'medium: the weekly call was cancelled',
    ]);
    expect(
      texts(
        await send(analyst, {
          kind: 'bookReview',
          [SDM_INPUTS.date]: '2026-12-03',
          [SDM_INPUTS.text]: 'Q4 review',
        }),
      ),
    ).toMatch(/Sent to/);
    expect(
      texts(
        await send(analyst, {
          kind: 'bookReview',
          [SDM_INPUTS.date]: '2026-12-03',
          [SDM_INPUTS.text]: 'Q4 review',
        }),
      ),
    ).toMatch(/Already sent/);
    expect(await sdm.store.listContactRequests('contoso', 10)).toHaveLength(5);
    expect(texts(await h.say(analyst, 'sdm'))).toMatch(/Requested for 2026-12-03/);
  });
});

describe('a request that could not be delivered (S3, S8)', () => {
  const escalate = () =>
    send(analyst, {
      kind: 'escalation',
      [SDM_INPUTS.severity]: 'high',
      [SDM_INPUTS.text]: 'The handoff on DC01 reached us 3 hours late',
    });
  const hourly = () =>
    createCheckinReminders({
      directory: h.directory,
      store: h.store,
      sdmStore: sdm.store,
      chatFor: () => chat,
      clock: h.clock,
      logger: { debug() {}, info() {}, warn() {}, error() {} },
      contact: sdm.contact,
    });

  it('answers "recorded, we keep trying" when the SDM’s chat fails, and a resend delivers it once', async () => {
    dmFailures = 1;
    const first = texts(await escalate());
    expect(first).toMatch(/Recorded, not delivered yet/);
    expect(first).toMatch(/keep trying/);
    expect(first).toMatch(/escalation \(high severity\)/);
    await flush();
    expect(chat.postsIn(DANA_DM)).toEqual([]);
    // The user (or the platform) sends it again: it is delivered, not refused as "already sent".
    const resentAt = h.clock.now().toISOString();
    expect(texts(await escalate())).toMatch(/Sent to Dana Reyes/);
    await flush();
    expect(chat.postsIn(DANA_DM)).toHaveLength(1);
    expect(chat.postsIn(ALICE_CHAT)).toHaveLength(1);
    // Now it really was sent: a third click is a duplicate, and nothing more reaches Dana.
    expect(texts(await escalate())).toMatch(/Already sent/);
    await flush();
    expect(chat.postsIn(DANA_DM)).toHaveLength(1);
    const stored = await sdm.store.listContactRequests('contoso', 10);
    expect(stored).toHaveLength(1);
    expect(stored[0]?.deliveredAt).toBe(resentAt);
  });

  it('is delivered by the hourly loop, once, into the thread it was sent from', async () => {
    dmFailures = 2;
    expect(texts(await escalate())).toMatch(/Recorded, not delivered yet/);
    const loop = hourly();
    h.clock.advance(3_600_000);
    await loop.runOnce(); // still failing: stays undelivered
    await flush();
    expect(chat.postsIn(DANA_DM)).toEqual([]);
    h.clock.advance(3_600_000);
    await loop.runOnce();
    await flush();
    const toDana = chat.postsIn(DANA_DM);
    expect(toDana).toHaveLength(1);
    expect(toDana[0]?.text).toMatch(/Escalation \(high severity\) from Contoso Ltd · Alice Analyst/);
    expect(chat.postsIn(ALICE_CHAT)).toHaveLength(1);
    h.clock.advance(3_600_000);
    await loop.runOnce();
    await flush();
    expect(chat.postsIn(DANA_DM)).toHaveLength(1);
  });

  it('does not send twice when the process died after opening the thread but before marking it', async () => {
    const now = h.clock.now().toISOString();
    const { request } = await sdm.store.recordContactRequest(
      {
        id: 'req-crash',
        customerId: 'contoso',
        kind: 'message',
        severity: null,
        text: 'please call me',
        preferredDate: null,
        fromUser: 'web:contoso-analyst',
        fromName: 'Alice Analyst',
        createdAt: now,
        conversation: { platform: 'web', id: ALICE_CHAT, threadId: null, kind: 'personal' },
        deliveredAt: null,
      },
      'crash-fp',
      now,
    );
    const contoso = h.directory.customers.find((c) => c.id === 'contoso');
    if (contoso === undefined || request.conversation === null) throw new Error('fixture');
    await sdm.contact.deliver({ request, customer: contoso, conversation: request.conversation }); // then "crash"
    await hourly().runOnce();
    await hourly().runOnce();
    await flush();
    expect(chat.postsIn(DANA_DM)).toHaveLength(1);
    expect(
      (await sdm.store.listUndeliveredContactRequests('contoso', '2026-01-01T00:00:00.000Z', 10)).length,
    ).toBe(0);
  });

  it('purges requests older than six months in the hourly loop, and keeps newer ones', async () => {
    expect(texts(await h.say(analyst, 'sdm an old note'))).toMatch(/Sent to Dana Reyes/);
    h.clock.advance(100 * 86_400_000);
    expect(texts(await h.say(analyst, 'sdm a newer note'))).toMatch(/Sent to Dana Reyes/);
    h.clock.advance(90 * 86_400_000);
    await hourly().runOnce();
    expect((await sdm.store.listContactRequests('contoso', 10)).map((r) => r.text)).toEqual(['a newer note']);
  });
});
