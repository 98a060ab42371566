import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Principal } from '../../../../bot/domain/actor.js';
import type { ConversationRef } from '../../../../bot/domain/conversation.js';
import type { Reply } from '../../../../bot/ports.js';
import { QUESTION_VERBS } from '../../../../cards/question-verbs.js';
import { webUser } from '../../../support/core-harness.js';
import { analyst, createRelayHarness, expert, type RelayHarness } from '../relay/relay-harness.js';

// Experts and SDMs work from chat in the provider's workspace: one customer's incident and summary by
// customer id (an SDM only for their own customers, a customer never for another), and the queue list
// with Claim and Open on each request.

const json = (rs: readonly Reply[]): string => rs.map((r) => JSON.stringify(r.card ?? r.text)).join(' ');
type Act = { title: string; verb: string; data: Record<string, unknown> };
/** Every Action.Execute in a card, wherever it sits. */
function actionsIn(value: unknown): Act[] {
  if (Array.isArray(value)) return value.flatMap(actionsIn);
  if (value === null || typeof value !== 'object') return [];
  const o = value as Record<string, unknown>;
  const own = o.type === 'Action.Execute' ? [o as unknown as Act] : [];
  return [...own, ...Object.values(o).flatMap(actionsIn)];
}
const dana: Principal = webUser('dana@provider.example', 'experts');
const sam: Principal = webUser('sam@provider.example', 'experts');
const expertChat: ConversationRef = { platform: 'web', id: 'web:expert', threadId: null, kind: 'personal' };

describe('experts and SDMs from chat', () => {
  let h: RelayHarness;
  let contosoId: string;
  let woodgroveId: string;
  beforeEach(async () => {
    h = await createRelayHarness();
    contosoId = await h.firstIncidentId('contoso');
    woodgroveId = await h.firstIncidentId('woodgrove');
  });
  afterEach(async () => {
    await h.cleanup();
  });

  const says = (who: Principal, text: string) =>
    h.send({
      principal: who,
      conversation: { ...expertChat, id: `web:${who.userId}` },
      input: { kind: 'message', text, attachmentCount: 0, messageId: `${who.userId}:${text}` },
    });

  it('shows an expert any customer’s incident and summary, without buttons that act as the customer (asking its affected user aside)', async () => {
    const incident = await says(expert, `incident contoso ${contosoId}`);
    expect(json(incident)).toContain(`Incident ${contosoId}`);
    // Only "Ask <user>" ("Was this you?"), which names the customer; nothing that acts as the customer.
    const acts = actionsIn(incident.map((r) => r.card));
    expect(acts.filter((a) => a.verb !== 'usercheck.ask')).toEqual([]);
    for (const a of acts) expect(a.data).toMatchObject({ id: contosoId, c: 'contoso' });
    const summary = await says(expert, 'summary woodgrove');
    expect(json(summary)).toContain('Woodgrove Bank');
    expect(actionsIn(summary.map((r) => r.card))).toEqual([]);
    // An id of another customer is answered like an unknown id.
    expect(json(await says(expert, `incident contoso ${woodgroveId}`))).toContain('not found');
    expect(json(await says(expert, 'summary nobody'))).toContain('Customer not found');
  });

  it('lets an SDM look only at their own customers', async () => {
    expect(json(await says(dana, `incident woodgrove ${woodgroveId}`))).toContain(`Incident ${woodgroveId}`);
    const refused = json(await says(sam, 'summary contoso'));
    expect(refused).toContain('Customer not found');
    expect(refused).not.toContain('Contoso Ltd');
    expect(refused).toContain('fabrikam');
  });

  it('never shows a customer another customer’s incident', async () => {
    const replies = await h.send({
      principal: analyst,
      conversation: { platform: 'web', id: 'web:contoso-analyst', threadId: null, kind: 'personal' },
      input: {
        kind: 'message',
        text: `incident woodgrove ${woodgroveId}`,
        attachmentCount: 0,
        messageId: 'x',
      },
    });
    expect(json(replies)).toContain('Not available here');
    expect(json(replies)).not.toContain('Woodgrove Bank');
  });

  it('offers Claim and Open on each request of the queue list, and both work', async () => {
    await h.send({
      principal: analyst,
      conversation: { platform: 'web', id: 'web:contoso-analyst', threadId: null, kind: 'personal' },
      input: { kind: 'message', text: 'ask Is Lagos expected?', attachmentCount: 0, messageId: 'a1' },
    });
    await h.flush();
    const list = await says(expert, 'questions');
    const buttons = actionsIn(list.map((r) => r.card));
    const claim = buttons.find((b) => b.verb === QUESTION_VERBS.questionClaim);
    const open = buttons.find((b) => b.verb === QUESTION_VERBS.questionShow);
    expect(claim?.title).toMatch(/^Claim Q-/);
    expect(open?.title).toMatch(/^Open Q-/);
    const opened = await h.click(expert, QUESTION_VERBS.questionShow, open?.data ?? {});
    expect(json(opened)).toContain('Is Lagos expected?');
    expect(opened[0]?.mode).toBe('new');
    const claimed = await h.click(expert, QUESTION_VERBS.questionClaim, claim?.data ?? {});
    expect(json(claimed)).toContain('Eve Expert');
    // Once claimed, the list offers Open only.
    const again = actionsIn((await says(expert, 'questions please')).map((r) => r.card));
    expect(again.some((b) => b.verb === QUESTION_VERBS.questionClaim)).toBe(false);
  });
});
