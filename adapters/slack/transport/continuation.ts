import { ChatDeliveryError } from '../../../bot/errors.js';
import type { Logger, Store } from '../../../bot/ports.js';
import type { SlackBlock } from '../render/block-kit.js';
import { paceKeyFor, type SlackApi } from './slack-api.js';

// A card longer than one Slack message continues in further messages in its thread. Their ids are kept
// with the card's own message, so a redraw (a check-in edit, an alert update) updates those messages in
// place, posts only the pages that are new and deletes the ones no longer needed, instead of posting the
// whole tail again on every redraw.

/** The continuation messages of posted cards, by installation, channel and the card message's ts. */
export interface MessageParts {
  get(installation: string, channel: string, ts: string): Promise<readonly string[]>;
  set(installation: string, channel: string, ts: string, parts: readonly string[]): Promise<void>;
}

const keyOf = (installation: string, channel: string, ts: string): string =>
  `${installation}:${channel}:${ts}`;

/** Kept in the store (every replica sees them; a restart forgets none). */
export function storedParts(store: Store): MessageParts {
  return {
    async get(installation, channel, ts) {
      const found = (await store.getInstallation('slack-parts', keyOf(installation, channel, ts))) as {
        parts?: unknown;
      } | null;
      const parts = found?.parts;
      return Array.isArray(parts) ? parts.filter((p): p is string => typeof p === 'string') : [];
    },
    async set(installation, channel, ts, parts) {
      const key = keyOf(installation, channel, ts);
      if (parts.length === 0) await store.deleteInstallation('slack-parts', key);
      else await store.saveInstallation('slack-parts', key, { parts });
    },
  };
}

/** What writing a card's continuation needs. */
export interface ContinuationIo {
  readonly api: SlackApi;
  readonly token: string;
  readonly installation: string;
  readonly parts: MessageParts;
  readonly logger: Logger;
}

export const CONTINUED = 'Continued';

const gone = (error: unknown): boolean =>
  error instanceof ChatDeliveryError && error.failure === 'messageGone';

/**
 * Writes the continuation pages of the card message `cardTs` into thread `root`: the ones already posted
 * are updated in place, missing ones posted, surplus ones deleted; the new list is stored with the card.
 */
export async function writeContinuation(
  io: ContinuationIo,
  channel: string,
  cardTs: string,
  root: string,
  pages: readonly (readonly SlackBlock[])[],
): Promise<void> {
  const known = await io.parts.get(io.installation, channel, cardTs);
  if (known.length === 0 && pages.length === 0) return;
  const opts = (method: string) => ({
    paceKey: paceKeyFor(io.installation, channel, method),
    retryThrottled: true,
  });
  const next: string[] = [];
  let done = false;
  try {
    for (const [i, page] of pages.entries()) {
      const ts = known[i];
      if (ts !== undefined) {
        try {
          await io.api.call(
            io.token,
            'chat.update',
            { channel, ts, blocks: page, text: CONTINUED },
            opts('chat.update'),
          );
          next.push(ts);
          continue;
        } catch (error) {
          // Someone deleted that part: post it again below.
          if (!gone(error)) throw error;
        }
      }
      const posted = await io.api.call(
        io.token,
        'chat.postMessage',
        { channel, thread_ts: root, blocks: page, text: CONTINUED, unfurl_links: false, unfurl_media: false },
        opts('chat.postMessage'),
      );
      if (typeof posted.ts !== 'string') throw new Error('chat.postMessage returned no ts');
      next.push(posted.ts);
    }
    for (const ts of known.slice(pages.length)) {
      await io.api
        .call(io.token, 'chat.delete', { channel, ts }, opts('chat.delete'))
        .catch((error: unknown) => {
          if (!gone(error))
            io.logger.warn({ err: error, channel }, 'Slack: a surplus continuation was not deleted');
        });
    }
    done = true;
  } finally {
    // Written so far, plus the older parts not reached yet (a failure midway): the next redraw updates them.
    await io.parts.set(
      io.installation,
      channel,
      cardTs,
      done ? next : [...next, ...known.slice(next.length)],
    );
  }
}
