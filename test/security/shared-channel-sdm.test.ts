import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AudienceFacts } from '../../bot/audience.js';
import type { Reply } from '../../bot/ports.js';
import type { SdmDeps } from '../../bot/sdm/deps.js';
import { createCheckinReminders } from '../../bot/sdm/reminders.js';
import { SDM_INPUTS } from '../../cards/sdm-verbs.js';
import { VERBS } from '../../cards/verbs.js';
import { type CoreHarness, webUser } from '../support/core-harness.js';
import type { RecordingChat } from '../support/recording-chat.js';
import { createSdmFlowHarness } from '../unit/bot/sdm/sdm-deps.js';

// What an SDM sends to a customer's bound channels (the business-review report, a readiness check-in, its
// redraws and its overdue reminders) is the customer's data like an alert: once another organisation reads
// the channel (a Slack Connect invitation accepted after `subscribe`), none of it is posted there.

const dana = webUser('dana@provider.example', 'experts'); // SDM of contoso
const analyst = webUser('contoso-analyst', 'customer:contoso');
const CHANNEL = 'web:alerts:contoso';
const texts = (replies: readonly Reply[]): string => replies.map((r) => r.text).join('\n');

let h: CoreHarness;
let chat: RecordingChat;
let sdm: SdmDeps;
let facts: AudienceFacts;
beforeEach(async () => {
  ({ h, chat, sdm } = await createSdmFlowHarness());
  facts = { kind: 'organisations', organisations: ['customer:contoso'] };
  chat.audience = async () => facts;
});
afterEach(async () => {
  await h.cleanup();
});

const sharedWithFabrikam = (): void => {
  facts = { kind: 'organisations', organisations: ['customer:contoso', 'customer:fabrikam'] };
};

describe('SDM posts into a channel that became shared', () => {
  it('does not post the business-review report there', async () => {
    sharedWithFabrikam();
    const confirmed = { customer: 'contoso', period: '2026-10', confirmed: true };
    expect(texts(await h.click(dana, VERBS.reportPost, confirmed))).not.toMatch(/Posted the October/);
    expect(chat.postsIn(CHANNEL)).toHaveLength(0);
  });

  it('does not post a new check-in there', async () => {
    sharedWithFabrikam();
    expect(texts(await h.say(dana, 'checkin start contoso'))).not.toMatch(/Posted check-in #1 to 1/);
    expect(chat.postsIn(CHANNEL)).toHaveLength(0);
  });

  it('neither redraws an earlier check-in there nor reminds into it', async () => {
    await h.say(dana, 'checkin start contoso');
    expect(chat.postsIn(CHANNEL)).toHaveLength(1);
    const [item] = await sdm.store.listItems('contoso');
    if (item === undefined) throw new Error('no items');
    sharedWithFabrikam();
    const before = chat.deliveries.filter((d) => d.conversationId === CHANNEL).length;
    await h.click(analyst, VERBS.checkinSave, {
      customer: 'contoso',
      key: item.key,
      [SDM_INPUTS.state]: 'planned',
      [SDM_INPUTS.due]: '2026-11-28',
    });
    const reminders = createCheckinReminders({
      directory: h.directory,
      store: h.store,
      sdmStore: sdm.store,
      chatFor: (p) => (p === 'web' ? chat : undefined),
      clock: h.clock,
      logger: { debug() {}, info() {}, warn() {}, error() {} },
    });
    h.clock.advance(2 * 86_400_000); // the item is overdue, in business hours
    await reminders.runOnce();
    expect(chat.deliveries.filter((d) => d.conversationId === CHANNEL)).toHaveLength(before);
  });
});
