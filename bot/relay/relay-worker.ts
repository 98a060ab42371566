import { assertMayCarry } from '../alerts/binding-audience.js';
import type { Platform } from '../domain/actor.js';
import type { Directory } from '../domain/customer.js';
import { ChatDeliveryError } from '../errors.js';
import { backoffMs } from '../pacing/windows.js';
import type { ChatPort, Clock, Logger, Reply } from '../ports.js';
import { textReply } from '../replies.js';
import { type RelayEffects, type RelayItem, type RelayStore, sideOf } from './relay-ports.js';
import type { RelayPair, RelaySide, RelaySideName } from './types.js';

/** An edit replaces the whole message: repeating it is safe even when the first one may have landed. */
const repeatable = (error: unknown): unknown =>
  error instanceof ChatDeliveryError && error.maybeSent
    ? new ChatDeliveryError(error.failure, error.message, { retryAfterMs: error.retryAfterMs, cause: error })
    : error;
const isMessageGone = (error: unknown): boolean =>
  error instanceof ChatDeliveryError && error.failure === 'messageGone';
/** Expected delivery failures are logged by kind and message, without a stack. */
const brief = (error: unknown): unknown =>
  error instanceof ChatDeliveryError ? { failure: error.failure, message: error.message } : error;

// Delivers the relay queue: each pair's items strictly one after another (the store hands out only a pair's
// first pending item), pairs side by side. The copy's message id is written with the completion, so a
// redelivered item is recognised; a crash between the send and that write repeats at most that one message.
// The chat ports pace themselves (each owns its platform's only pacer); 'throttled' and transient failures
// come back later with backoff, except a new message that may already have landed (ChatDeliveryError
// maybeSent): the platforms cannot de-duplicate it, so it is not sent again.

export interface RelayWorkerDeps {
  readonly store: RelayStore;
  readonly chatFor: (platform: Platform) => ChatPort | undefined;
  /**
   * With it, nothing is posted on a customer's side whose conversation has since been shared with other
   * organisations (the sender is told it was not delivered).
   */
  readonly directory?: Directory;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly leaseMs?: number;
  readonly maxAttempts?: number;
  readonly random?: () => number;
}

export interface RelayWorker {
  /** Delivers everything due now; returns how many items it handled. Never runs twice at once. */
  runOnce(): Promise<number>;
  start(intervalMs: number): void;
  notify(): void;
  stop(): Promise<void>;
}

/** Creates the worker; the composition root starts and stops it. */
export function createRelayWorker(deps: RelayWorkerDeps): RelayWorker {
  const { store, clock, logger } = deps;
  const leaseMs = deps.leaseMs ?? 120_000;
  const maxAttempts = deps.maxAttempts ?? 12;

  async function send(chat: ChatPort, side: RelaySide, message: Reply): Promise<string> {
    const conv = side.conversation;
    const posted =
      side.threadId === null
        ? await chat.post(conv, message)
        : await chat.reply(conv, side.threadId, message);
    return posted.messageId;
  }

  /**
   * Sends into the side's thread; when that thread's root no longer exists (deleted, or the console chat
   * restarted) the message goes top-level in the same conversation and becomes the side's new thread.
   */
  async function sendOrRethread(
    chat: ChatPort,
    pair: RelayPair,
    to: RelaySideName,
    message: Reply,
  ): Promise<{ id: string; effects: RelayEffects }> {
    const side = sideOf(pair, to);
    try {
      return { id: await send(chat, side, message), effects: {} };
    } catch (error) {
      if (!isMessageGone(error) || side.threadId === null) throw error;
      logger.info({ pair: pair.id, side: to }, 'relay thread no longer exists; posting top-level instead');
      const id = (await chat.post(side.conversation, message)).messageId;
      return { id, effects: { thread: { side: to, threadId: id } } };
    }
  }

  const inThread = (side: RelaySide) => ({ ...side.conversation, threadId: side.threadId });

  /** Updates a message that may no longer exist: a gone message needs no update. */
  async function updateIfThere(
    chat: ChatPort,
    side: RelaySide,
    id: string,
    message: Reply,
  ): Promise<boolean> {
    try {
      await chat.update(inThread(side), id, message);
      return true;
    } catch (error) {
      if (!isMessageGone(error)) throw repeatable(error);
      return false;
    }
  }

  /** Performs one item and returns what to record with its completion. */
  async function perform(item: RelayItem, pair: RelayPair, chat: ChatPort): Promise<RelayEffects> {
    const side = sideOf(pair, item.to);
    switch (item.op) {
      case 'root': {
        if (side.threadId !== null) return {};
        const id = (await chat.post(side.conversation, item.message)).messageId;
        return { thread: { side: item.to, threadId: id } };
      }
      case 'say':
        return (await sendOrRethread(chat, pair, item.to, item.message)).effects;
      case 'update-root':
        if (side.threadId !== null) await updateIfThere(chat, side, side.threadId, item.message);
        return {};
      case 'post':
      case 'edit':
      case 'delete':
        return performCopy(item, pair, chat, side);
    }
  }

  async function performCopy(
    item: RelayItem,
    pair: RelayPair,
    chat: ChatPort,
    side: RelaySide,
  ): Promise<RelayEffects> {
    const sourceId = item.sourceId ?? '';
    const copy = await store.getCopy(pair.id, item.to, sourceId);
    const base = { pairId: pair.id, to: item.to, sourceId };
    if (copy?.deleted) return {};
    if (item.op === 'post' && copy !== null) return {};
    if (item.op === 'delete') {
      if (copy?.copyId) await updateIfThere(chat, side, copy.copyId, item.message);
      return { copy: { ...base, copyId: copy?.copyId ?? null, version: item.sourceAt, deleted: true } };
    }
    if (item.op === 'edit' && copy !== null && copy.version >= item.sourceAt) return {};
    if (item.op === 'edit' && copy?.copyId && (await updateIfThere(chat, side, copy.copyId, item.message))) {
      return { copy: { ...base, copyId: copy.copyId, version: item.sourceAt, deleted: false } };
    }
    // A new message, or an edit whose copy is not (or no longer) there: post this version as the message.
    const sent = await sendOrRethread(chat, pair, item.to, item.message);
    return { ...sent.effects, copy: { ...base, copyId: sent.id, version: item.sourceAt, deleted: false } };
  }

  /** A person's message that will not arrive: its sender is told, never left believing it was passed on. */
  async function tellSender(item: RelayItem, pair: RelayPair): Promise<void> {
    if (item.op !== 'post' && item.op !== 'edit') return;
    const from: RelaySideName = item.to === 'customer' ? 'provider' : 'customer';
    const to = item.to === 'customer' ? 'the customer' : pair.providerLabel || 'Defender Experts';
    const chat = deps.chatFor(sideOf(pair, from).conversation.platform);
    if (chat === undefined) return;
    const about = pair.title === '' ? '' : ` (${pair.title})`;
    const notice = textReply(`Your message${about} could not be delivered to ${to}; please send it again.`);
    try {
      await sendOrRethread(chat, pair, from, notice);
    } catch (error) {
      logger.warn(
        { err: brief(error), pair: pair.id },
        'could not tell the sender a relayed message was lost',
      );
    }
  }

  async function fail(item: RelayItem, pair: RelayPair, error: unknown): Promise<void> {
    const now = clock.now().getTime();
    if (error instanceof ChatDeliveryError && error.failure === 'throttled') {
      await store.retry(item.seq, new Date(now + (error.retryAfterMs ?? 1_000)), error.message, false);
      return;
    }
    if (error instanceof ChatDeliveryError && error.maybeSent) {
      // Probably delivered: not repeated, and the sender is not told it was lost.
      logger.warn(
        { err: brief(error), pair: item.pairId, seq: item.seq, op: item.op },
        'relayed message may have been delivered despite the failure; not sending it again',
      );
      await store.abandon(item.seq, `may have been delivered: ${error.message}`);
      return;
    }
    const permanent =
      error instanceof ChatDeliveryError &&
      ['gone', 'forbidden', 'invalid', 'shared'].includes(error.failure);
    if (permanent || item.attempts + 1 >= maxAttempts) {
      logger.warn(
        { err: brief(error), pair: item.pairId, seq: item.seq, op: item.op },
        'relay item abandoned',
      );
      await store.abandon(item.seq, String(error));
      await tellSender(item, pair);
      return;
    }
    logger.warn({ err: brief(error), pair: item.pairId, seq: item.seq }, 'relay delivery failed; retrying');
    const wait = backoffMs(item.attempts, 1_000, 300_000, deps.random);
    await store.retry(item.seq, new Date(now + wait), String(error), true);
  }

  async function handle(item: RelayItem): Promise<void> {
    const pair = await store.getPair(item.pairId);
    if (pair === null) {
      await store.abandon(item.seq, 'pair no longer exists');
      return;
    }
    const chat = deps.chatFor(sideOf(pair, item.to).conversation.platform);
    if (chat === undefined) {
      const platform = sideOf(pair, item.to).conversation.platform;
      await store.retry(
        item.seq,
        new Date(clock.now().getTime() + 60_000),
        `${platform} not configured`,
        false,
      );
      return;
    }
    try {
      const side = sideOf(pair, item.to);
      if (deps.directory !== undefined)
        await assertMayCarry(
          deps.directory,
          chat,
          side.conversation,
          pair.customerId,
          item.to === 'customer' ? 'customer' : 'provider',
        );
      const effects = await perform(item, pair, chat);
      await store.complete(item.seq, effects);
    } catch (error) {
      await fail(item, pair, error);
    }
  }

  let running: Promise<number> | null = null;
  let again = false;
  let timer: NodeJS.Timeout | null = null;
  let stopped = false;

  async function pass(): Promise<number> {
    let total = 0;
    for (;;) {
      const items = await store.claimHeads(clock.now(), leaseMs, 100);
      if (items.length === 0) break;
      await Promise.all(items.map((item) => handle(item)));
      total += items.length;
    }
    return total;
  }

  function runOnce(): Promise<number> {
    if (running !== null) {
      again = true;
      return running;
    }
    running = (async () => {
      let total = 0;
      try {
        do {
          again = false;
          total += await pass();
        } while (again && !stopped);
      } finally {
        running = null;
      }
      return total;
    })();
    return running;
  }

  const kick = (): void => {
    if (stopped) return;
    runOnce().catch((error: unknown) => logger.error({ err: error }, 'relay pass failed'));
  };

  return {
    runOnce,
    notify: kick,
    start(intervalMs) {
      stopped = false;
      if (timer === null) timer = setInterval(kick, intervalMs);
      kick();
    },
    async stop() {
      stopped = true;
      if (timer !== null) clearInterval(timer);
      timer = null;
      await running?.catch(() => 0);
    },
  };
}
