import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SlackBlock } from '../../adapters/slack/render/block-kit.js';
import {
  type Button,
  buttonsOf,
  clickPayload,
  eventEnvelope,
  postEvent,
  postInteraction,
  type SlackBotHarness,
  slashCommand,
  startSlackBot,
  uniqueTs,
} from '../support/slack-harness.js';
import { connectChannel, type RecordedCall } from '../support/slack-standin.js';

// Slack Connect: one channel, several organisations. The real bot process against the Slack stand-in,
// whose conversations.info describes shared channels the way Slack does. A customer's data is said in a
// channel only when every organisation in it is that customer or the provider; elsewhere the person is
// answered privately, no shared message is ever replaced with their view, and `subscribe` is refused.

const SHARED = 'C0CONNECTFAB'; // Contoso's channel, shared with Fabrikam
const WITH_PROVIDER = 'C0CONNECTEXP'; // Contoso's channel, shared with the provider only
const CONTOSO_ONLY = 'C0CONTOSOSOC';

let h: SlackBotHarness;
beforeAll(async () => {
  h = await startSlackBot({}, (standIn) => {
    standIn.users.set('U0FABI', { team_id: 'T0FABRIKAM', name: 'fabi' });
    standIn.channels.set(SHARED, connectChannel(SHARED, 'T0CONTOSO', ['T0FABRIKAM']));
    standIn.channels.set(WITH_PROVIDER, connectChannel(WITH_PROVIDER, 'T0CONTOSO', ['T0EXPERTS']));
  });
});
afterAll(async () => {
  await h?.close();
});

const ok = (c: RecordedCall): boolean => (c.result as { ok?: boolean } | null)?.ok === true;
const blocksOf = (c: RecordedCall): SlackBlock[] => (c.args.blocks ?? []) as SlackBlock[];
const postedTs = (c: RecordedCall): string => String((c.result as { ts: string }).ts);
/** Everything the bot wrote where the whole channel reads it (not ephemeral, not a DM). */
const openlyIn = (channel: string, since: number): RecordedCall[] =>
  h.standIn.calls.filter(
    (c) =>
      c.seq > since &&
      (c.method === 'chat.postMessage' || c.method === 'chat.update') &&
      c.args.channel === channel,
  );
const lastSeq = (): number => h.standIn.calls.reduce((n, c) => Math.max(n, c.seq), 0);
const settle = (): Promise<void> => new Promise((r) => setTimeout(r, 400));

async function mention(
  channel: string,
  text: string,
  user = 'U0ALICE',
  team = 'T0CONTOSO',
): Promise<{ ts: string; since: number }> {
  const since = lastSeq();
  const ts = uniqueTs();
  const envelope = eventEnvelope('app-mention', {
    text: `<@UBOT> ${text}`,
    ts,
    event_ts: ts,
    channel,
    user,
    team,
    user_team: team,
  });
  const shared = channel === SHARED || channel === WITH_PROVIDER;
  const res = await postEvent(h, { ...envelope, is_ext_shared_channel: shared });
  expect(res.status).toBe(200);
  return { ts, since };
}

describe('Slack Connect channels', () => {
  it('answers a mention privately where another customer is present, and openly where only the provider is', async () => {
    const { since } = await mention(SHARED, 'incidents all');
    const ephemeral = await h.standIn.waitFor(
      (c) => c.seq > since && c.method === 'chat.postEphemeral' && c.args.channel === SHARED,
      'a private answer to Alice',
    );
    expect(ephemeral.args.user).toBe('U0ALICE');
    expect(JSON.stringify(ephemeral.args)).toMatch(/incident/i);
    await settle();
    expect(openlyIn(SHARED, since)).toEqual([]);
    expect(h.standIn.of('conversations.info').some((c) => c.args.channel === SHARED)).toBe(true);

    const open = await mention(WITH_PROVIDER, 'incidents all');
    const posted = await h.standIn.waitFor(
      (c) => c.seq > open.since && c.method === 'chat.postMessage' && c.args.channel === WITH_PROVIDER,
      'the list posted where only Contoso and the provider read it',
    );
    expect(posted.args.thread_ts).toBe(open.ts);
  });

  it('never replaces Contoso’s card with Fabrikam’s view: Fabrikam’s click is answered to Fabrikam alone', async () => {
    // Contoso's list card, as it stands in the channel (posted before the channel was shared).
    const first = await mention(CONTOSO_ONLY, 'incidents all');
    const card = await h.standIn.waitFor(
      (c) =>
        c.seq > first.since && c.method === 'chat.postMessage' && c.args.channel === CONTOSO_ONLY && ok(c),
      'Contoso’s list',
    );
    const awaiting = buttonsOf(blocksOf(card)).find((b) => b.action_id.endsWith(':incidents.list'));
    expect(awaiting).toBeDefined();
    const since = lastSeq();
    const hook = `fab-${uniqueTs()}`;
    const messageTs = postedTs(card);
    const res = await postInteraction(
      h,
      clickPayload(h, awaiting as Button, {
        channel: SHARED,
        messageTs,
        user: 'U0FABI',
        team: 'T0FABRIKAM',
        hook,
        blocks: blocksOf(card),
      }),
    );
    expect(res.status).toBe(200);
    const answer = await h.standIn.waitFor(
      (c) => c.seq > since && (c.method === `hook:${hook}` || c.method === 'chat.postEphemeral'),
      'Fabrikam’s private answer',
    );
    if (answer.method === 'chat.postEphemeral') expect(answer.args.user).toBe('U0FABI');
    else expect(answer.args).toMatchObject({ response_type: 'ephemeral', replace_original: false });
    await settle();
    expect(openlyIn(SHARED, since)).toEqual([]);
    expect(h.standIn.calls.filter((c) => c.seq > since && c.method === 'chat.update')).toEqual([]);
  });

  it('refuses subscribe in a channel shared with another organisation, saying why, and binds nothing', async () => {
    const { res, hook } = await slashCommand(h, 'subscribe', { user: 'U0ADMIN', channel: SHARED });
    expect(res.status).toBe(200);
    const answer = await h.standIn.waitFor((c) => c.method === hook, 'the refusal');
    const text = JSON.stringify(answer.args);
    expect(text).toMatch(/other organisations/);
    expect(text).not.toMatch(/will now be posted/);
    // Nothing was bound: unsubscribe finds no binding here.
    const again = await slashCommand(h, 'unsubscribe', { user: 'U0ADMIN', channel: SHARED });
    const after = await h.standIn.waitFor((c) => c.method === again.hook, 'the unsubscribe answer');
    expect(JSON.stringify(after.args)).toMatch(/No alerts here/);

    const { since } = await mention(SHARED, 'subscribe', 'U0ADMIN');
    const refusal = await h.standIn.waitFor(
      (c) => c.seq > since && c.method === 'chat.postEphemeral' && c.args.channel === SHARED,
      'the mention’s private refusal',
    );
    expect(JSON.stringify(refusal.args)).toMatch(/other organisations/);
    await settle();
    expect(openlyIn(SHARED, since)).toEqual([]);
  });
});
