import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SlackBlock } from '../../adapters/slack/render/block-kit.js';
import {
  FORM,
  fixture,
  formBody,
  JSON_TYPE,
  payloadBody,
  postSigned,
  SIGNING_SECRET,
} from './slack-signing.js';
import { type SlackStandIn, startSlackStandIn } from './slack-standin.js';
import { type SpawnedBot, spawnBot } from './spawn-bot.js';

// The real bot process (npm start) wired to a Slack Web API stand-in, plus builders for the requests Slack
// sends, made from the captured fixtures. One process per test file.

export const BOT_TOKEN = 'xoxb-test-0000-slack-token';

/** What the request builders need: where the bot listens and the stand-in it answers through. */
export type SlackTarget = Pick<SlackBotHarness, 'url' | 'standIn'> & Partial<SlackBotHarness>;

export interface SlackBotHarness {
  readonly standIn: SlackStandIn;
  readonly bot: SpawnedBot;
  readonly url: string;
  close(): Promise<void>;
}

/** Starts the stand-in and the bot process pointed at it (simulation paused, debug logs for de-dup lines). */
export async function startSlackBot(
  env: Record<string, string> = {},
  prepare: (standIn: SlackStandIn) => void = () => undefined,
): Promise<SlackBotHarness> {
  const standIn = await startSlackStandIn();
  prepare(standIn);
  standIn.users.set('U0ALICE', {
    team_id: 'T0CONTOSO',
    name: 'alice',
    real_name: 'Alice Analyst',
    display_name: 'alice',
  });
  standIn.users.set('U0ADMIN', { team_id: 'T0CONTOSO', name: 'admin', real_name: 'Adam Admin' });
  standIn.users.set('U0OUTSIDER', { team_id: 'T0STRANGER', name: 'outsider' });
  const bot = spawnBot({
    DATA_DIR: mkdtempSync(join(tmpdir(), 'dxb-slack-')),
    LOG_LEVEL: 'debug',
    SIMULATION_STEP_SECONDS: '0',
    DEV_CONSOLE: 'off',
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_API_URL: standIn.apiUrl,
    ...env,
  });
  let url: string;
  try {
    url = await bot.ready;
  } catch (error) {
    await standIn.close();
    throw error;
  }
  return {
    standIn,
    bot,
    url,
    async close() {
      bot.child.kill('SIGTERM');
      await bot.exited;
      await standIn.close();
    },
  };
}

export const uniqueTs = (): string =>
  `${1_700_000_000 + Math.floor(Math.random() * 1e8)}.${String(Math.floor(Math.random() * 1e6)).padStart(6, '0')}`;

/** Sends `/experts <text>` as `user`; the answer goes to the returned response_url id. */
export async function slashCommand(
  h: SlackTarget,
  text: string,
  opts: { user?: string; team?: string; channel?: string } = {},
): Promise<{ res: Response; hook: string }> {
  const hook = `cmd-${randomUUID()}`;
  const fields = {
    ...fixture<Record<string, string>>('slash-command'),
    text,
    user_id: opts.user ?? 'U0ALICE',
    team_id: opts.team ?? 'T0CONTOSO',
    // A channel of its own by default: pacing (one message a second per channel) would slow the suite.
    channel_id: opts.channel ?? `C${randomUUID().replace(/-/g, '').slice(0, 10).toUpperCase()}`,
    response_url: h.standIn.responseUrl(hook),
    trigger_id: h.standIn.issueTrigger(),
  };
  const res = await postSigned(h.url, formBody(fields), FORM);
  return { res, hook: `hook:${hook}` };
}

/** An Events API envelope from a fixture with a fresh event_id, the event fields overridden. */
export function eventEnvelope(
  name: string,
  event: Record<string, unknown>,
  eventId = `Ev${randomUUID().replace(/-/g, '').slice(0, 12).toUpperCase()}`,
) {
  const body = fixture(name);
  return { ...body, event_id: eventId, event: { ...(body.event as object), ...event } };
}

export function postEvent(h: SlackTarget, envelope: unknown, retryNum?: number): Promise<Response> {
  return postSigned(h.url, JSON.stringify(envelope), JSON_TYPE, retryNum === undefined ? {} : { retryNum });
}

export function postInteraction(h: SlackTarget, payload: unknown): Promise<Response> {
  return postSigned(h.url, payloadBody(payload), FORM);
}

export interface Button {
  readonly action_id: string;
  readonly value?: string;
  readonly text: { readonly text: string };
}

/** Every button in a list of blocks (actions blocks and section accessories). */
export function buttonsOf(blocks: readonly SlackBlock[]): Button[] {
  return blocks.flatMap((b) => {
    if (b.type === 'actions') return [...b.elements] as Button[];
    if (b.type === 'section' && b.accessory) return [b.accessory as Button];
    return [];
  });
}

/** A block_actions payload for a click on `button` in a message (ephemeral or not). */
export function clickPayload(
  h: SlackBotHarness,
  button: Button,
  where: {
    channel: string;
    messageTs: string;
    /** The thread the clicked message is in, if it is a reply. */
    threadTs?: string;
    ephemeral?: boolean;
    user?: string;
    team?: string;
    hook?: string;
    blocks?: readonly SlackBlock[];
  },
) {
  const base = fixture('block-actions');
  return {
    ...base,
    user: { ...(base.user as object), id: where.user ?? 'U0ALICE', team_id: where.team ?? 'T0CONTOSO' },
    container: {
      type: 'message',
      message_ts: where.messageTs,
      channel_id: where.channel,
      is_ephemeral: where.ephemeral === true,
      ...(where.threadTs ? { thread_ts: where.threadTs } : {}),
    },
    channel: { id: where.channel, name: 'soc-alerts' },
    message: {
      ...(base.message as object),
      ts: where.messageTs,
      blocks: where.blocks ?? [],
      ...(where.threadTs ? { thread_ts: where.threadTs } : {}),
    },
    trigger_id: h.standIn.issueTrigger(),
    response_url: h.standIn.responseUrl(where.hook ?? `act-${randomUUID()}`),
    actions: [{ ...button, block_id: 'b1', type: 'button', action_ts: uniqueTs() }],
  };
}
