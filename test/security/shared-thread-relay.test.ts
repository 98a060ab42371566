import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSqliteStore, type SqliteStore } from '../../adapters/sqlite/sqlite-store.js';
import { createRelayStore } from '../../adapters/store/relay/relay-store.js';
import type { AudienceFacts } from '../../bot/audience.js';
import { demoDirectory } from '../../bot/config/demo-customers.js';
import type { ConversationRef } from '../../bot/domain/conversation.js';
import { createRelay } from '../../bot/relay/relay.js';
import type { RelayStore } from '../../bot/relay/relay-ports.js';
import { createRelayWorker } from '../../bot/relay/relay-worker.js';
import { fixedClock } from '../support/core-harness.js';
import { createRecordingChat } from '../support/recording-chat.js';

// A Contoso question thread whose channel was later shared with Fabrikam: what the experts answer is not
// posted there any more (the relay asks the platform who reads the customer's side before each message),
// and the message is given up (a relayed copy's sender is told, as for any message that cannot be
// delivered). Where only Contoso and the provider read, it flows. The experts' side is asked the same way:
// a queue channel shared with another customer shows it nothing of Contoso.

const quiet = { debug() {}, info() {}, warn() {}, error() {} };
const conv = (id: string): ConversationRef => ({ platform: 'slack', id, threadId: null, kind: 'channel' });
const CUSTOMER = conv('slack:T0CONTOSO:C0CUST');
const QUEUE = conv('slack:T0EXPERTS:C0QUEUE');

describe('relayed answers into a thread whose channel became shared', () => {
  let dir: string;
  let base: SqliteStore;
  let store: RelayStore;
  let facts: AudienceFacts;
  let queueFacts: AudienceFacts;
  const clock = fixedClock();
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'dxb-relay-shared-'));
    base = await createSqliteStore({ file: join(dir, 'bot.sqlite'), logger: quiet });
    store = await createRelayStore(base.host);
    facts = { kind: 'organisations', organisations: [] };
    queueFacts = { kind: 'organisations', organisations: [] };
  });
  afterEach(async () => {
    await base.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function run(): Promise<ReturnType<typeof createRecordingChat>> {
    const chat = createRecordingChat(clock);
    chat.audience = async (c) => (c.id === CUSTOMER.id ? facts : queueFacts);
    const worker = createRelayWorker({
      store,
      chatFor: () => chat,
      directory: demoDirectory(),
      clock,
      logger: quiet,
    });
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
    await worker.runOnce();
    await relay.say(
      pair.id,
      'customer',
      { text: 'Contoso: isolate WS-CONTOSO-7', card: null, mode: 'new' },
      'k1',
    );
    await worker.runOnce();
    return chat;
  }

  it('posts nothing more where Fabrikam reads, and gives the message up rather than retrying it', async () => {
    facts = { kind: 'organisations', organisations: ['T0CONTOSO', 'T0FABRIKAM'] };
    const chat = await run();
    expect(chat.deliveries.filter((d) => d.conversationId === CUSTOMER.id)).toEqual([]);
    expect(await store.countPending()).toBe(0);
  });

  it('shows Contoso’s question in no experts’ channel that also holds Fabrikam', async () => {
    queueFacts = { kind: 'organisations', organisations: ['T0EXPERTS', 'T0FABRIKAM'] };
    const chat = await run();
    expect(chat.deliveries.filter((d) => d.conversationId === QUEUE.id)).toEqual([]);
  });

  it('posts where only Contoso and the provider read', async () => {
    facts = { kind: 'organisations', organisations: ['T0CONTOSO', 'T0EXPERTS'] };
    queueFacts = { kind: 'organisations', organisations: ['T0EXPERTS', 'T0CONTOSO'] };
    const chat = await run();
    expect(chat.deliveries.some((d) => d.conversationId === QUEUE.id)).toBe(true);
    expect(chat.deliveries.filter((d) => d.conversationId === CUSTOMER.id).map((d) => d.text)).toEqual([
      'Contoso: isolate WS-CONTOSO-7',
    ]);
  });
});
