import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SlackBlock, SlackView } from '../../../adapters/slack/render/block-kit.js';
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
import { fixture } from '../../support/slack-signing.js';
import type { RecordedCall } from '../../support/slack-standin.js';

// Guided response through the real bot process and the Slack stand-in: an analyst's click is refused
// ephemerally (the card is not touched), a responder gets the confirmation naming the target only to
// themselves, and a double click on the confirmation runs the action once.

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

/** Mentions the bot with `text` in a fresh channel and returns its answer. */
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

/** The detail card (as Alice, a responder) of an awaiting incident with a runnable pending action. */
async function detailWithRun(): Promise<{
  call: RecordedCall;
  channel: string;
  ts: string;
  run: Button;
  done: Button;
}> {
  const list = await ask('incidents awaiting');
  const opens = buttonsOf(blocksOf(list.call)).filter((b) => b.action_id.endsWith(':incident.show'));
  for (const open of opens) {
    const id = (JSON.parse(open.value ?? '{}') as { id: string }).id;
    const detail = await ask(`incident ${id}`, list.channel);
    const buttons = buttonsOf(blocksOf(detail.call));
    const run = buttons.find((b) => b.action_id.endsWith(':response.run'));
    const action = run === undefined ? null : (JSON.parse(run.value ?? '{}') as { action: string }).action;
    const done = buttons.find(
      (b) =>
        b.action_id.endsWith(':response.done') &&
        (JSON.parse(b.value ?? '{}') as { action: string }).action === action,
    );
    if (run !== undefined && done !== undefined) return { ...detail, run, done };
  }
  throw new Error('no awaiting incident with a runnable action in the demo world');
}

describe('guided response in Slack', () => {
  it('refuses an analyst’s click with an ephemeral explanation and leaves the card alone', async () => {
    const { call, channel, ts, done } = await detailWithRun();
    const hook = `deny-${randomUUID()}`;
    await postInteraction(
      h,
      clickPayload(h, done, { channel, messageTs: postedTs(call), threadTs: ts, user: 'U0BOB', hook }),
    );
    const answer = await h.standIn.waitFor((c) => c.method === `hook:${hook}`, 'the refusal');
    expect(answer.args).toMatchObject({ response_type: 'ephemeral', replace_original: false });
    expect(JSON.stringify(answer.args)).toContain(
      'Only Contoso Ltd responders and admins can act on guided response',
    );
    await new Promise((r) => setTimeout(r, 200));
    expect(h.standIn.of('chat.update').filter((c) => c.args.ts === postedTs(call))).toEqual([]);
  });

  it('confirms privately, naming the target, and runs once on a double click', async () => {
    const { call, channel, ts, run } = await detailWithRun();
    const hook = `confirm-${randomUUID()}`;
    await postInteraction(
      h,
      clickPayload(h, run, { channel, messageTs: postedTs(call), threadTs: ts, hook }),
    );
    const confirm = await h.standIn.waitFor((c) => c.method === `hook:${hook}`, 'the confirmation');
    expect(confirm.args).toMatchObject({ response_type: 'ephemeral', replace_original: false });
    const text = JSON.stringify(confirm.args);
    expect(text).toContain('Excluded asset');
    expect(text).toContain('Nothing has been sent yet');
    const go = buttonsOf(blocksOf(confirm)).find((b) =>
      b.action_id.endsWith(':response.run.confirm'),
    ) as Button;
    expect(go).toBeDefined();
    const action = (JSON.parse(go.value ?? '{}') as { action: string }).action;

    const hooks = [`go1-${randomUUID()}`, `go2-${randomUUID()}`];
    for (const hk of hooks) {
      await postInteraction(
        h,
        clickPayload(h, go, { channel, messageTs: uniqueTs(), threadTs: ts, ephemeral: true, hook: hk }),
      );
    }
    const first = await h.standIn.waitFor((c) => c.method === `hook:${hooks[0]}`, 'the first answer');
    expect(first.args).toMatchObject({ response_type: 'ephemeral', replace_original: true });
    // The second click finds the run already recorded: it says so, privately, and sends nothing.
    await h.standIn.waitFor(
      (c) =>
        c.method === `hook:${hooks[1]}` && JSON.stringify(c.args).includes('already acted on that action'),
      'the second answer',
    );
    const requested = h.bot
      .output()
      .split('\n')
      .filter(
        (l) =>
          l.includes('"msg":"guided response"') &&
          l.includes('"event":"runRequested"') &&
          l.includes(`"action":"${action}"`),
      );
    expect(requested).toHaveLength(1);
  });

  it('skips with the reason typed into the clicker’s modal and redraws the shared card', async () => {
    const { call, channel, ts, done } = await detailWithRun();
    const action = (JSON.parse(done.value ?? '{}') as { action: string }).action;
    const skip = buttonsOf(blocksOf(call)).find(
      (b) =>
        b.action_id.endsWith(':response.skip') &&
        (JSON.parse(b.value ?? '{}') as { action: string }).action === action,
    ) as Button;
    expect(skip).toBeDefined();
    // The reason form opens as the clicker's modal; the shared card is not drawn over.
    const click = clickPayload(h, skip, { channel, messageTs: postedTs(call), threadTs: ts });
    await postInteraction(h, click);
    const opened = await h.standIn.waitFor(
      (c) => c.method === 'views.open' && c.args.trigger_id === click.trigger_id,
      'the skip form as a modal',
    );
    expect(ok(opened)).toBe(true);
    const view = opened.args.view as SlackView;
    const input = view.blocks.find((b) => b.type === 'input') as { block_id: string } | undefined;
    expect(input).toBeDefined();
    expect(h.standIn.of('chat.update').filter((c) => c.args.ts === postedTs(call))).toEqual([]);
    const reason = 'Reimaging tonight <!channel> <@U0BOB>';
    const submission = fixture<Record<string, unknown>>('view-submission');
    await postInteraction(h, {
      ...submission,
      view: {
        ...(submission.view as object),
        id: `V${randomUUID().slice(0, 8)}`,
        private_metadata: view.private_metadata,
        state: {
          values: { [input?.block_id ?? '']: { 'dxb:in': { type: 'plain_text_input', value: reason } } },
        },
      },
    });
    // The shared incident card is redrawn for everyone with the skip and its reason.
    const answer = await h.standIn.waitFor(
      (c) =>
        c.method === 'chat.update' && c.args.ts === postedTs(call) && /Skipped/.test(JSON.stringify(c.args)),
      'the incident card redrawn',
    );
    const text = JSON.stringify(answer.args);
    expect(text).toContain('Reimaging tonight');
    expect(text).not.toContain('<!channel>');
    expect(text).toMatch(/skipped by [^(]*\(slack:[A-Z0-9/]*U0ALICE\)/);
    const skipped = () =>
      h.bot
        .output()
        .split('\n')
        .filter((l) => l.includes('"event":"skipped"') && l.includes(`"action":"${action}"`));
    // The process's log reaches the test through a pipe, possibly after the redraw reached the stand-in.
    for (let i = 0; i < 500 && skipped().length === 0; i += 1) await new Promise((r) => setTimeout(r, 10));
    expect(skipped()).toHaveLength(1);
  });
});
