import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSqliteRelayStore } from '../../../../adapters/sqlite/relay-store.js';
import type { Principal } from '../../../../bot/domain/actor.js';
import type { Reply } from '../../../../bot/ports.js';
import { createRelay } from '../../../../bot/relay/relay.js';
import { createRelayWorker, type RelayWorker } from '../../../../bot/relay/relay-worker.js';
import type { SdmDeps } from '../../../../bot/sdm/deps.js';
import { createRelayContactDelivery, registerSdmRelayHooks } from '../../../../bot/sdm/relay-delivery.js';
import { SDM_INPUTS } from '../../../../cards/sdm-verbs.js';
import { VERBS } from '../../../../cards/verbs.js';
import { type CoreHarness, createCoreHarness, webUser } from '../../../support/core-harness.js';
import { createRecordingChat, type RecordingChat } from '../../../support/recording-chat.js';
import { sdmDepsFor } from './sdm-deps.js';

// SDM contact through the real core and the Ask-experts relay (issue 7): the card, the forms and their
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
const texts = (replies: readonly Reply[]): string => replies.map((r) => r.text).join('\n');
const send = (who: Principal, fields: Record<string, unknown>) => h.click(who, VERBS.sdmSend, fields);
const flush = async (): Promise<void> => {
  h.clock.advance(2_000);
  await worker.runOnce();
};

beforeEach(async () => {
  h = await createCoreHarness({
    deps: ({ store, clock, logger, directory }) => {
      chat = createRecordingChat(clock);
      const relayStore = createSqliteRelayStore(store);
      worker = createRelayWorker({ store: relayStore, chatFor: () => chat, clock, logger });
      const relay = createRelay({ store: relayStore, clock, logger, settleMs: 1_000 });
      registerSdmRelayHooks(relay, directory);
      sdm = sdmDepsFor(
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
    expect(await sdm.store.listContactRequests('contoso', 10)).toHaveLength(3);
    expect(texts(await h.say(analyst, 'sdm'))).toMatch(/Requested for 2026-12-03/);
  });
});
