import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSqliteStore, type SqliteStore } from '../../../../adapters/sqlite/sqlite-store.js';
import { createRelayStore } from '../../../../adapters/store/relay/relay-store.js';
import type { ConversationRef } from '../../../../bot/domain/conversation.js';
import { createRelay } from '../../../../bot/relay/relay.js';
import type { RelayStore } from '../../../../bot/relay/relay-ports.js';
import { createRelayWorker } from '../../../../bot/relay/relay-worker.js';
import { fixedClock } from '../../../support/core-harness.js';
import { createRecordingChat } from '../../../support/recording-chat.js';

// The relay worker against a real SQLite file and a recording chat that fails on demand: throttling waits
// without counting, transient failures back off and retry, a gone conversation gives up on that item
// only, and a crash mid-delivery (a lease left behind) neither loses nor reorders anything.

const quiet = { debug() {}, info() {}, warn() {}, error() {} };
const conv = (id: string): ConversationRef => ({ platform: 'slack', id, threadId: null, kind: 'channel' });
const CUSTOMER = conv('slack:T1:C0CUST');
const QUEUE = conv('slack:T2:C0QUEUE');

describe('relay worker', () => {
  let dir: string;
  let base: SqliteStore;
  let store: RelayStore;
  const clock = fixedClock();
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'dxb-relay-worker-'));
    base = await createSqliteStore({ file: join(dir, 'bot.sqlite'), logger: quiet });
    store = await createRelayStore(base.host);
  });
  afterEach(async () => {
    await base.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function openPair() {
    const relay = createRelay({ store, clock, logger: quiet, settleMs: 0 });
    const pair = await relay.openPair({
      kind: 'question',
      customerId: 'contoso',
      subjectId: 'Q-TEST01',
      customer: { conversation: CUSTOMER, threadId: 'ask-ts' },
      provider: {
        conversation: QUEUE,
        threadId: null,
        root: { text: 'queue card', card: null, mode: 'new' },
      },
      providerLabel: 'Defender Experts',
    });
    const say = (n: number) =>
      relay.say(pair.id, 'customer', { text: `m${n}`, card: null, mode: 'new' }, `k${n}`);
    return { relay, pair, say };
  }

  it('does not relay a message again after a failure that may have delivered it, nor tell the sender it was lost', async () => {
    const chat = createRecordingChat(clock);
    const worker = createRelayWorker({ store, chatFor: () => chat, clock, logger: quiet, random: () => 0.5 });
    const { say } = await openPair();
    await worker.runOnce();
    for (const n of [1, 2]) await say(n);
    chat.failNext(CUSTOMER.id, 'transient', 1, 0, true);
    for (let i = 0; i < 4; i += 1) {
      await worker.runOnce();
      clock.advance(600_000);
    }
    const sent = chat.deliveries.filter((d) => d.conversationId === CUSTOMER.id);
    expect(sent.map((d) => d.text)).toEqual(['m1', 'm2']);
    expect(chat.deliveries.filter((d) => /could not be delivered/.test(d.text))).toEqual([]);
    expect(await store.countPending()).toBe(0);
  });

  it('waits out throttling without counting, retries transient failures, keeps the order', async () => {
    const chat = createRecordingChat(clock);
    const worker = createRelayWorker({ store, chatFor: () => chat, clock, logger: quiet, random: () => 0.5 });
    const { say } = await openPair();
    await worker.runOnce();
    expect(chat.postsIn(QUEUE.id).map((d) => d.text)).toEqual(['queue card']);
    for (const n of [1, 2]) await say(n);
    chat.failNext(CUSTOMER.id, 'throttled', 1, 5_000);
    await worker.runOnce();
    expect(chat.deliveries.filter((d) => d.conversationId === CUSTOMER.id)).toEqual([]);
    clock.advance(5_000);
    chat.failNext(CUSTOMER.id, 'transient', 1);
    await worker.runOnce();
    expect(chat.deliveries.filter((d) => d.conversationId === CUSTOMER.id)).toEqual([]);
    clock.advance(600_000);
    await worker.runOnce();
    const sent = chat.deliveries.filter((d) => d.conversationId === CUSTOMER.id);
    expect(sent.map((d) => [d.op, d.messageId, d.text])).toEqual([
      ['reply', 'ask-ts', 'm1'],
      ['reply', 'ask-ts', 'm2'],
    ]);
    expect(await store.countPending()).toBe(0);
  });

  it('gives up on an item the platform refuses for good, and goes on with the next', async () => {
    const chat = createRecordingChat(clock);
    const worker = createRelayWorker({ store, chatFor: () => chat, clock, logger: quiet });
    const { say } = await openPair();
    await worker.runOnce();
    await say(1);
    await say(2);
    chat.failNext(CUSTOMER.id, 'gone', 1);
    await worker.runOnce();
    expect(chat.deliveries.filter((d) => d.conversationId === CUSTOMER.id).map((d) => d.text)).toEqual([
      'm2',
    ]);
  });

  it('posts top-level in the conversation when the thread is gone, and threads what follows under that', async () => {
    const chat = createRecordingChat(clock);
    const worker = createRelayWorker({ store, chatFor: () => chat, clock, logger: quiet });
    const { say } = await openPair();
    await worker.runOnce();
    await say(1);
    chat.failNext(CUSTOMER.id, 'messageGone', 1);
    await worker.runOnce();
    const first = chat.deliveries.filter((d) => d.conversationId === CUSTOMER.id);
    expect(first.map((d) => [d.op, d.text])).toEqual([['post', 'm1']]);
    await say(2);
    await worker.runOnce();
    const all = chat.deliveries.filter((d) => d.conversationId === CUSTOMER.id);
    expect(all.at(-1)).toMatchObject({ op: 'reply', messageId: first[0]?.messageId, text: 'm2' });
    expect(await store.countPending()).toBe(0);
  });

  it('tells the sender when a person’s message cannot be delivered, instead of dropping it silently', async () => {
    const chat = createRecordingChat(clock);
    const warnings: string[] = [];
    const logger = { ...quiet, warn: (_o: object, msg?: string) => void warnings.push(msg ?? '') };
    const worker = createRelayWorker({ store, chatFor: () => chat, clock, logger });
    const { relay, pair } = await openPair();
    await worker.runOnce();
    const now = clock.now().toISOString();
    await relay.enqueue([
      {
        pairId: pair.id,
        dedupKey: 'in-1',
        to: 'provider',
        op: 'post',
        sourceId: 'cust-msg-1',
        sourceAt: now,
        message: { text: 'any update on the retention question?', card: null, mode: 'new' },
        notBefore: now,
      },
    ]);
    chat.failNext(QUEUE.id, 'gone', 1);
    await worker.runOnce();
    expect(chat.deliveries.filter((d) => d.conversationId === QUEUE.id).map((d) => d.text)).toEqual([
      'queue card',
    ]);
    const told = chat.deliveries.filter((d) => d.conversationId === CUSTOMER.id);
    expect(told.map((d) => [d.op, d.messageId])).toEqual([['reply', 'ask-ts']]);
    expect(told[0]?.text).toMatch(/could not be delivered to Defender Experts; please send it again/);
    expect(warnings).toContain('relay item abandoned');
  });

  it('after a crash mid-delivery, the leased item goes out on restart, before the ones behind it', async () => {
    const { say } = await openPair();
    await say(1);
    await say(2);
    // The first process leased the root (and died before completing it).
    expect((await store.claimHeads(clock.now(), 120_000, 10)).map((i) => i.op)).toEqual(['root']);
    await base.close();
    base = await createSqliteStore({ file: join(dir, 'bot.sqlite'), logger: quiet });
    store = await createRelayStore(base.host);
    expect(await store.recover()).toBe(1);
    const chat = createRecordingChat(clock);
    await createRelayWorker({ store, chatFor: () => chat, clock, logger: quiet }).runOnce();
    expect(chat.deliveries.map((d) => d.text)).toEqual(['queue card', 'm1', 'm2']);
  });

  it('waits for a platform that is not configured yet, without losing anything', async () => {
    const worker = createRelayWorker({ store, chatFor: () => undefined, clock, logger: quiet });
    await openPair();
    await worker.runOnce();
    expect(await store.countPending()).toBe(1);
  });
});
