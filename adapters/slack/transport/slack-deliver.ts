import type { Logger, Reply } from '../../../bot/ports.js';
import { parseConversation } from '../conversation-ids.js';
import type { SlackBlock } from '../render/block-kit.js';
import { escapeMrkdwn } from '../render/mrkdwn.js';
import { messageText, renderCard } from '../render/render-card.js';
import { sectionUnits } from '../render/render-context.js';
import { homeView, type Origin, repliesModal } from '../render/views.js';
import { CONTINUED, type MessageParts, writeContinuation } from './continuation.js';
import { type ApiResult, paceKeyFor, type SlackApi } from './slack-api.js';

// Turns the core's replies into Slack messages where the question was asked: a thread reply, an update of
// the clicked message (mode 'replace'), an ephemeral answer through response_url, the Home tab or a modal.
// Cards too long for one message continue in the thread (or in further ephemeral replies).

export type Target =
  /** Only the asker sees it: slash commands and clicks on ephemeral messages. */
  | {
      readonly kind: 'ephemeral';
      readonly responseUrl: string | null;
      readonly channel: string;
      readonly user: string;
      readonly threadTs: string | null;
    }
  /** A channel or DM: new replies go to `threadTs` (null: top level); 'replace' updates `messageTs`. */
  | {
      readonly kind: 'channel';
      readonly channel: string;
      readonly threadTs: string | null;
      readonly messageTs: string | null;
      /** The person who clicked (and the click's response_url): where `ephemeral` replies go. */
      readonly asker?: { readonly user: string; readonly responseUrl: string | null };
    }
  | { readonly kind: 'home'; readonly user: string }
  /** A modal: 'replace' updates it; new answers go back to where the modal was opened from. */
  | { readonly kind: 'modal'; readonly viewId: string; readonly origin: Origin; readonly user: string }
  /** The user's DM with the app (opened with conversations.open). */
  | { readonly kind: 'dm'; readonly user: string };

/** What delivering needs besides the target: the API, the installation's token and key, a logger. */
export interface DeliverContext {
  readonly api: SlackApi;
  readonly token: string;
  /** Installation key (team or org id), for pacing keys. */
  readonly installation: string;
  readonly logger: Logger;
  /** Where the continuation messages of long cards are remembered, so a redraw updates them in place. */
  readonly parts: MessageParts;
}

/** One reply ready for Slack. */
export interface Message {
  readonly blocks: readonly SlackBlock[];
  readonly continuation: readonly (readonly SlackBlock[])[];
  readonly text: string;
}

/** Shown where a card is cut because the rest follows in its thread. */
export const THREAD_NOTE =
  '⋯ This card is longer than Slack allows in one message: the rest follows in the thread.';
const BELOW_NOTE = '⋯ This card is longer than Slack allows in one message: the rest follows below.';

/** A reply as a message: blocks within limits, continuation pages, and escaped notification text. */
export function toMessage(reply: Reply, overflowNote: string): Message {
  if (reply.card === null) {
    const withMention = (escaped: string): string => applyMention(escaped, reply.mention);
    const blocks = sectionUnits(withMention(escapeMrkdwn(reply.text))).map((u) => u.block);
    return { blocks, continuation: [], text: withMention(messageText(reply.text)) };
  }
  const r = renderCard(reply.card, { surface: 'message', overflowNote });
  return { blocks: r.blocks, continuation: r.continuation, text: messageText(reply.text) };
}

/**
 * Turns the core's "@name" into a real Slack mention, after escaping: only a well-formed user (U…/W…) or
 * user-group (S…) id becomes markup, so no text can smuggle in `<!channel>`.
 */
export function applyMention(escaped: string, mention: Reply['mention']): string {
  if (mention === undefined) return escaped;
  const markup = /^[UW][A-Z0-9]{2,20}$/.test(mention.id)
    ? `<@${mention.id}>`
    : /^S[A-Z0-9]{2,20}$/.test(mention.id)
      ? `<!subteam^${mention.id}>`
      : null;
  const plain = `@${escapeMrkdwn(mention.name)}`;
  return markup === null ? escaped : escaped.replace(plain, markup);
}

const plainPost = { unfurl_links: false, unfurl_media: false } as const;

async function toChannel(
  ctx: DeliverContext,
  t: Extract<Target, { kind: 'channel' }>,
  reply: Reply,
): Promise<void> {
  const m = toMessage(reply, THREAD_NOTE);
  const opts = { paceKey: paceKeyFor(ctx.installation, t.channel, 'chat.postMessage'), retryThrottled: true };
  let cardTs: string | null;
  if (reply.mode === 'replace' && t.messageTs !== null) {
    await ctx.api.call(
      ctx.token,
      'chat.update',
      { channel: t.channel, ts: t.messageTs, blocks: m.blocks, text: m.text },
      { paceKey: paceKeyFor(ctx.installation, t.channel, 'chat.update'), retryThrottled: true },
    );
    cardTs = t.messageTs;
  } else {
    const posted: ApiResult = await ctx.api.call(
      ctx.token,
      'chat.postMessage',
      {
        channel: t.channel,
        blocks: m.blocks,
        text: m.text,
        ...(t.threadTs ? { thread_ts: t.threadTs } : {}),
        ...plainPost,
      },
      opts,
    );
    cardTs = typeof posted.ts === 'string' ? posted.ts : null;
  }
  if (cardTs !== null) await writeContinuation(ctx, t.channel, cardTs, t.threadTs ?? cardTs, m.continuation);
}

async function ephemeral(
  ctx: DeliverContext,
  t: Extract<Target, { kind: 'ephemeral' }>,
  blocks: readonly SlackBlock[],
  text: string,
  replace: boolean,
): Promise<void> {
  const opts = {
    paceKey: paceKeyFor(ctx.installation, t.channel, 'chat.postEphemeral'),
    retryThrottled: true,
  };
  if (ctx.api.responseUrlAllowed(t.responseUrl)) {
    try {
      // Not a channel post: response_url answers are not paced like chat.postMessage.
      await ctx.api.respond(
        t.responseUrl,
        { response_type: 'ephemeral', replace_original: replace, blocks, text },
        { retryThrottled: true },
      );
      return;
    } catch (error) {
      ctx.logger.warn({ err: error }, 'Slack response_url failed: answering with chat.postEphemeral');
    }
  }
  await ctx.api.call(
    ctx.token,
    'chat.postEphemeral',
    { channel: t.channel, user: t.user, blocks, text, ...(t.threadTs ? { thread_ts: t.threadTs } : {}) },
    opts,
  );
}

/** Where answers to a modal go: its origin's response_url or channel, else the user's DM. */
export function originTarget(api: SlackApi, origin: Origin, user: string): Target {
  const channel = origin.c === null ? null : parseConversation({ platform: 'slack', id: origin.c }).channel;
  if (channel !== null && api.responseUrlAllowed(origin.r)) {
    return { kind: 'ephemeral', responseUrl: origin.r, channel, user, threadTs: origin.t };
  }
  if (channel !== null)
    return {
      kind: 'channel',
      channel,
      threadTs: origin.t,
      messageTs: null,
      asker: { user, responseUrl: null },
    };
  return { kind: 'dm', user };
}

/** Delivers the replies of one turn, in order, to the target. */
export async function deliver(ctx: DeliverContext, target: Target, replies: readonly Reply[]): Promise<void> {
  if (replies.length === 0) return;
  switch (target.kind) {
    case 'channel':
      for (const reply of replies) {
        const asker = target.asker;
        if (reply.ephemeral === true && asker !== undefined) {
          // Only the clicker sees it (a refusal, a confirmation): a new ephemeral message, never a replace.
          const m = toMessage(reply, BELOW_NOTE);
          const only = {
            kind: 'ephemeral',
            channel: target.channel,
            threadTs: target.threadTs,
            ...asker,
          } as const;
          await ephemeral(ctx, only, m.blocks, m.text, false);
          for (const page of m.continuation) await ephemeral(ctx, only, page, CONTINUED, false);
        } else if (reply.ephemeral === true && !target.channel.startsWith('D')) {
          // A private answer with nobody to address it to is never said in the channel instead.
          ctx.logger.error({ channel: target.channel }, 'Slack: private answer without an asker not sent');
        } else await toChannel(ctx, target, reply);
      }
      return;
    case 'ephemeral':
      for (const reply of replies) {
        const m = toMessage(reply, BELOW_NOTE);
        await ephemeral(ctx, target, m.blocks, m.text, reply.mode === 'replace');
        for (const page of m.continuation) await ephemeral(ctx, target, page, CONTINUED, false);
      }
      return;
    case 'home':
      await ctx.api.call(
        ctx.token,
        'views.publish',
        { user_id: target.user, view: homeView(replies, true) },
        { retryThrottled: true },
      );
      return;
    case 'modal': {
      const replacing = replies.filter((r) => r.mode === 'replace');
      if (replacing.length > 0) {
        await ctx.api.call(
          ctx.token,
          'views.update',
          { view_id: target.viewId, view: repliesModal(replacing, target.origin) },
          { retryThrottled: true },
        );
      }
      const fresh = replies.filter((r) => r.mode !== 'replace');
      await deliver(ctx, originTarget(ctx.api, target.origin, target.user), fresh);
      return;
    }
    case 'dm': {
      const opened = await ctx.api.call(
        ctx.token,
        'conversations.open',
        { users: target.user },
        { retryThrottled: true },
      );
      const channel = (opened.channel as { id?: unknown } | undefined)?.id;
      if (typeof channel !== 'string') throw new Error('conversations.open returned no channel');
      await deliver(ctx, { kind: 'channel', channel, threadTs: null, messageTs: null }, replies);
      return;
    }
  }
}
