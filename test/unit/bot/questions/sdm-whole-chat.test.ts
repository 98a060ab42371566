import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createRelayStore } from '../../../../adapters/store/relay/relay-store.js';
import type { Principal } from '../../../../bot/domain/actor.js';
import type { ConversationRef } from '../../../../bot/domain/conversation.js';
import type { ChatPort, Reply } from '../../../../bot/ports.js';
import { createRelay } from '../../../../bot/relay/relay.js';
import { createRelayWorker, type RelayWorker } from '../../../../bot/relay/relay-worker.js';
import { createRelayContactDelivery, registerSdmRelayHooks } from '../../../../bot/sdm/relay-delivery.js';
import { QUESTION_VERBS } from '../../../../cards/question-verbs.js';
import { SDM_LIMITS } from '../../../../cards/sdm-verbs.js';
import { type CoreHarness, createCoreHarness, webUser } from '../../../support/core-harness.js';
import { createRecordingChat, type RecordingChat } from '../../../support/recording-chat.js';
import { sdmDepsFor } from '../sdm/sdm-deps.js';

// Review finding B1: Dana is the SDM of Contoso and Woodgrove and is reached in a Teams personal chat, which
// has no threads, so both customers' requests share one conversation. A reply there must never go to
// "whichever customer wrote last": with two open requests Dana picks; with one, it goes there and she is told.

const contoso: Principal = { ...webUser('contoso-analyst', 'customer:contoso'), displayName: 'Alice' };
const woodgrove: Principal = { ...webUser('woodgrove-analyst', 'customer:woodgrove'), displayName: 'Walt' };
const dana: Principal = { ...webUser('dana@provider.example', 'experts'), displayName: 'Dana Reyes' };
const DANA_TEAMS: ConversationRef = { platform: 'teams', id: 'a:dm-dana', threadId: null, kind: 'personal' };

const json = (r: Reply | undefined): string => JSON.stringify(r?.card ?? r?.text ?? '');
const pairIds = (r: Reply | undefined): string[] =>
  [...json(r).matchAll(/"pairId":"(rp-[0-9a-f-]+)"/g)].map((m) => m[1] ?? '');

describe('an SDM’s chat without threads, shared by two customers', () => {
  let h: CoreHarness;
  let chat: RecordingChat;
  let worker: RelayWorker;
  beforeEach(async () => {
    h = await createCoreHarness({
      deps: async ({ store, clock, logger, directory }) => {
        chat = createRecordingChat(clock);
        const toDana: ChatPort = { ...chat, directConversation: async () => DANA_TEAMS };
        const relayStore = await createRelayStore(store.host);
        worker = createRelayWorker({ store: relayStore, chatFor: () => chat, clock, logger });
        const relay = createRelay({ store: relayStore, clock, logger, settleMs: 1_000 });
        registerSdmRelayHooks(relay, directory);
        const contact = createRelayContactDelivery({
          relay,
          directory,
          chatFor: () => toDana,
          workspaces: { teams: null, slack: null, web: 'web' },
        });
        return { sdm: await sdmDepsFor(store, () => chat, contact), relay };
      },
    });
  });
  afterEach(async () => {
    await h.cleanup();
  });
  const flush = async () => {
    h.clock.advance(2_000);
    await worker.runOnce();
  };
  const danaSays = (text: string, messageId: string) =>
    h.send({
      principal: dana,
      conversation: DANA_TEAMS,
      input: { kind: 'message', text, attachmentCount: 0, messageId },
    });
  const danaClicks = (data: Record<string, unknown>) =>
    h.send({
      principal: dana,
      conversation: DANA_TEAMS,
      input: { kind: 'action', verb: QUESTION_VERBS.relayReply, data },
    });
  const to = (conversationId: string, needle: string) =>
    chat.deliveries.filter((d) => d.conversationId === conversationId && d.text.includes(needle));

  it('never routes Dana’s reply by recency: she picks the customer, and it reaches only that one', async () => {
    await h.say(contoso, 'escalate high our domain controller alert at CONTOSO-DC01 was missed');
    await flush();
    h.clock.advance(60_000);
    await h.say(woodgrove, 'sdm please send the invoice');
    await flush();
    const answer = 'Contoso: CONTOSO-DC01 was isolated at 03:10, sorry';
    const asked = await danaSays(answer, 'd1');
    await flush();
    expect(to('web:woodgrove-analyst', 'CONTOSO-DC01 was isolated')).toHaveLength(0);
    expect(to('web:contoso-analyst', 'CONTOSO-DC01 was isolated')).toHaveLength(0);
    const card = json(asked[0]);
    expect(card).toContain('Which one is this for?');
    expect(card).toContain('Contoso Ltd (Escalation (high)');
    expect(card).toContain('Woodgrove');
    const ids = pairIds(asked[0]);
    expect(ids).toHaveLength(2);
    // Pick Contoso's button: the card's order follows activity, so find it by its title.
    const actions =
      ((asked[0]?.card ?? {}) as { actions?: { title: string; data: { pairId: string } }[] }).actions ?? [];
    const pick = actions.find((a) => a.title.includes('Contoso'));
    const done = await danaClicks({ pairId: pick?.data.pairId, sourceId: 'd1' });
    expect(json(done[0])).toContain('Passed on to Contoso Ltd');
    await flush();
    expect(to('web:contoso-analyst', 'CONTOSO-DC01 was isolated')).toHaveLength(1);
    expect(to('web:contoso-analyst', 'Your SDM (Dana Reyes)')).not.toHaveLength(0);
    expect(to('web:woodgrove-analyst', 'CONTOSO-DC01 was isolated')).toHaveLength(0);
    // A second click on the same card (or a retried invoke) passes nothing on twice.
    const again = await danaClicks({ pairId: pick?.data.pairId, sourceId: 'd1' });
    expect(json(again[0])).toContain('Already passed on');
    await flush();
    expect(to('web:contoso-analyst', 'CONTOSO-DC01 was isolated')).toHaveLength(1);
  });

  it('relays to the one open request and tells Dana where it went; a customer cannot use her buttons', async () => {
    await h.say(contoso, 'escalate high our domain controller alert at CONTOSO-DC01 was missed');
    await flush();
    const replies = await danaSays('On it, isolating now', 'd2');
    expect(replies.map((r) => r.text).join(' ')).toContain('Passed on to Contoso Ltd (Escalation (high)');
    await flush();
    expect(to('web:contoso-analyst', 'On it, isolating now')).toHaveLength(1);
    await h.say(woodgrove, 'sdm please send the invoice');
    await flush();
    const asked = await danaSays('Sent yesterday', 'd3');
    const ids = pairIds(asked[0]);
    expect(ids).toHaveLength(2);
    // Woodgrove's analyst clicking a button of Dana's card (a forged invoke) is refused: not their conversation.
    const forged = await h.click(woodgrove, QUESTION_VERBS.relayReply, {
      pairId: ids[0],
      sourceId: 'd3',
    });
    // Her held message is not in their chat: nothing to send from there.
    expect(json(forged[0])).toContain('Nothing to send');
    await flush();
    expect(to('web:woodgrove-analyst', 'Sent yesterday')).toHaveLength(0);
    expect(to('web:contoso-analyst', 'Sent yesterday')).toHaveLength(0);
  });

  it('shows Dana a maximum-length escalation whole, with how to answer (the last words arrive)', async () => {
    const text =
      `${'The alert on CONTOSO-DC01 was missed overnight and nobody called us. '.repeat(60)}`.slice(
        0,
        SDM_LIMITS.text - ' ESCALATION-END'.length,
      );
    const replies = await h.say(contoso, `escalate high ${text} ESCALATION-END`);
    expect(replies.map(json).join(' ')).toContain('Sent to Dana Reyes');
    await flush();
    const root = chat.deliveries.find((d) => d.conversationId === DANA_TEAMS.id && d.op === 'post');
    expect(root?.text).toContain('ESCALATION-END');
    expect(root?.text).toContain('Reply here');
    expect(root?.text).toContain('Contoso Ltd sees your reply');
    const mine = chat.deliveries.find((d) => d.conversationId === 'web:contoso-analyst' && d.op === 'post');
    expect(mine?.text).toContain('ESCALATION-END');
  });
});
