import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SlackBlock } from '../../../adapters/slack/render/block-kit.js';
import {
  type Button,
  buttonsOf,
  clickPayload,
  eventEnvelope,
  postEvent,
  postInteraction,
  type SlackBotHarness,
  startSlackBot,
  uniqueTs,
} from '../../support/slack-harness.js';
import type { RecordedCall } from '../../support/slack-standin.js';

// "Was this you?" through the real bot process and the Slack stand-in: Alice (a Contoso responder) asks the
// person an incident names; the bot finds them with users.lookupByEmail, opens a DM and posts the question;
// Bob clicking the forwarded card is refused and nothing changes; the person's "No" reaches Alice and the
// admin by DM; a person who is not in the workspace is reported to Alice at once.

let h: SlackBotHarness;
beforeAll(async () => {
  h = await startSlackBot({}, (standIn) => {
    standIn.users.set('U0BOB', { team_id: 'T0CONTOSO', name: 'bob' });
  });
});
afterAll(async () => {
  await h?.close();
});

const blocksOf = (c: RecordedCall): SlackBlock[] => (c.args.blocks ?? []) as SlackBlock[];
const ok = (c: RecordedCall): boolean => (c.result as { ok?: boolean } | null)?.ok === true;
const postedTs = (c: RecordedCall): string => String((c.result as { ts: string }).ts);
const channelId = (): string => `C${randomUUID().replace(/-/g, '').slice(0, 10).toUpperCase()}`;
const buttonData = (b: Button): Record<string, unknown> =>
  JSON.parse(b.value ?? '{}') as Record<string, unknown>;

async function ask(
  text: string,
  channel = channelId(),
): Promise<{ call: RecordedCall; channel: string; ts: string }> {
  const ts = uniqueTs();
  await postEvent(h, eventEnvelope('app-mention', { text: `<@UBOT> ${text}`, ts, event_ts: ts, channel }));
  const call = await h.standIn.waitFor(
    (c) => c.method === 'chat.postMessage' && c.args.thread_ts === ts && ok(c),
    `an answer to "${text}"`,
  );
  return { call, channel, ts };
}

/** "Ask <user>" buttons of incident cards, with where each card was posted. */
async function askButtons(): Promise<
  { button: Button; channel: string; messageTs: string; threadTs: string }[]
> {
  const list = await ask('incidents all');
  const opens = buttonsOf(blocksOf(list.call)).filter((b) => b.action_id.endsWith(':incident.show'));
  const found: { button: Button; channel: string; messageTs: string; threadTs: string }[] = [];
  for (const open of opens) {
    const detail = await ask(`incident ${String(buttonData(open).id)}`, list.channel);
    for (const b of buttonsOf(blocksOf(detail.call)).filter((x) => x.action_id.endsWith(':usercheck.ask'))) {
      // Distinct people: the second one is the person no workspace member matches.
      const upn = String(buttonData(b).upn).toLowerCase();
      if (found.some((f) => String(buttonData(f.button).upn).toLowerCase() === upn)) continue;
      found.push({
        button: b,
        channel: detail.channel,
        messageTs: postedTs(detail.call),
        threadTs: detail.ts,
      });
    }
    if (found.length >= 2) break;
  }
  return found;
}

describe('"Was this you?" in Slack', () => {
  let targets: Awaited<ReturnType<typeof askButtons>> = [];
  let question: RecordedCall;

  it('asks the person by DM after users.lookupByEmail, and tells the requester privately', async () => {
    targets = await askButtons();
    expect(targets.length).toBe(2);
    const first = targets[0] as (typeof targets)[number];
    const upn = String(buttonData(first.button).upn);
    h.standIn.users.set('U0AFFECT', { team_id: 'T0CONTOSO', name: 'affected', email: upn.toUpperCase() });
    const hook = `ask-${randomUUID()}`;
    await postInteraction(h, clickPayload(h, first.button, { ...first, hook }));
    const told = await h.standIn.waitFor((c) => c.method === `hook:${hook}`, 'the requester’s answer');
    expect(told.args).toMatchObject({ response_type: 'ephemeral', replace_original: false });
    expect(JSON.stringify(told.args)).toContain(`Asked ${upn}: was this you?`);
    const lookup = h.standIn.of('users.lookupByEmail').at(-1);
    expect(lookup?.args.email).toBe(upn);
    const open = await h.standIn.waitFor(
      (c) => c.method === 'conversations.open' && c.args.users === 'U0AFFECT',
      'the DM opened',
    );
    expect(open).toBeDefined();
    question = await h.standIn.waitFor(
      (c) => c.method === 'chat.postMessage' && c.args.channel === 'D0AFFECT' && ok(c),
      'the question',
    );
    const answers = buttonsOf(blocksOf(question)).filter((b) => b.action_id.endsWith(':usercheck.answer'));
    expect(answers.map((b) => buttonData(b).a)).toEqual(['yes', 'no', 'unsure']);
  });

  it('refuses a forwarded card clicked by someone else and changes nothing', async () => {
    const yes = buttonsOf(blocksOf(question)).find((b) =>
      b.action_id.endsWith(':usercheck.answer'),
    ) as Button;
    const hook = `bob-${randomUUID()}`;
    const before = h.standIn.calls.length;
    await postInteraction(
      h,
      clickPayload(h, yes, { channel: 'D0BOB', messageTs: uniqueTs(), user: 'U0BOB', hook }),
    );
    const refused = await h.standIn.waitFor((c) => c.method === `hook:${hook}`, 'the refusal');
    expect(JSON.stringify(refused.args)).toContain('only they can answer it');
    await new Promise((r) => setTimeout(r, 300));
    const after = h.standIn.calls.slice(before).filter((c) => c.method === 'chat.postMessage');
    expect(after).toEqual([]);
  });

  it('takes the person’s "No" and tells the requester and the admin urgently', async () => {
    const no = buttonsOf(blocksOf(question)).find(
      (b) => b.action_id.endsWith(':usercheck.answer') && buttonData(b).a === 'no',
    ) as Button;
    const hook = `no-${randomUUID()}`;
    await postInteraction(
      h,
      clickPayload(h, no, { channel: 'D0AFFECT', messageTs: postedTs(question), user: 'U0AFFECT', hook }),
    );
    const thanks = await h.standIn.waitFor((c) => c.method === `hook:${hook}`, 'the thanks');
    expect(JSON.stringify(thanks.args)).toContain('You answered');
    for (const dm of ['D0ALICE', 'D0ADMIN']) {
      const told = await h.standIn.waitFor(
        (c) =>
          c.method === 'chat.postMessage' &&
          c.args.channel === dm &&
          JSON.stringify(c.args).includes('URGENT'),
        `the urgent note in ${dm}`,
      );
      expect(ok(told)).toBe(true);
    }
    const log = h.bot
      .output()
      .split('\n')
      .filter((l) => l.includes('"msg":"user check answered"'));
    expect(log).toHaveLength(1);
  });

  it('tells the requester at once when the person is not in the workspace', async () => {
    const second = targets[1] as (typeof targets)[number];
    const upn = String(buttonData(second.button).upn);
    const hook = `gone-${randomUUID()}`;
    const opens = h.standIn.of('conversations.open').length;
    await postInteraction(h, clickPayload(h, second.button, { ...second, hook }));
    const told = await h.standIn.waitFor((c) => c.method === `hook:${hook}`, 'the unreachable notice');
    const text = JSON.stringify(told.args);
    expect(text).toContain(`Could not ask ${upn}`);
    expect(text).toContain('No member of the linked Slack workspace has that email address');
    expect(h.standIn.of('conversations.open').length).toBe(opens);
  });
});
