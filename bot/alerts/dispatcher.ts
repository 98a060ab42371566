import type { Platform } from '../domain/actor.js';
import type { ChannelBinding, ConversationRef } from '../domain/conversation.js';
import type { Customer, Directory } from '../domain/customer.js';
import type { Incident } from '../domain/incident.js';
import { BotError, ChatDeliveryError } from '../errors.js';
import type { ChatPort, Clock, IncidentPost, Logger, OutboxItem, Reply, SendKind, Store } from '../ports.js';
import { alertCard, type ReminderStage, reminderMessage, threadLine } from './alert-messages.js';
import { assertMayPost } from './binding-audience.js';
import { createFailureHandler } from './delivery-failures.js';
import { type AlertPayload, REDRAW_KIND } from './planner.js';
import { type ReminderPlan, reminderDrafts } from './reminders.js';

// Delivers the outbox: claims due rows, posts the incident's card once per binding, then updates that card
// in place and threads a line per event. Paced per conversation by asking the conversation's ChatPort
// (each port owns its platform's only pacer; this file knows no platform); Retry-After honoured; a post that
// may have landed is never sent again; a channel that is gone pauses its binding instead of being retried
// forever.

export interface AlertObserver {
  delivered(platform: Platform, kind: string, detectionToPostMs: number | null): void;
  failed(platform: Platform, failure: string): void;
  bindingPaused(platform: Platform): void;
}

export interface DispatcherDeps {
  readonly store: Store;
  readonly directory: Directory;
  readonly clock: Clock;
  readonly logger: Logger;
  /** The chat port of each platform that is configured. */
  readonly chatFor: (platform: Platform) => ChatPort | undefined;
  readonly reminders: ReminderPlan;
  readonly observer?: AlertObserver;
  /**
   * Lays state kept outside the incident over it before a card is drawn (guided-response records,
   * "Was this you?" answers).
   */
  readonly present?: (incident: Incident) => Promise<Incident>;
  /**
   * The SDM's direct conversation for the note about an aging handoff. The SDM is the provider's person, so
   * it is found in the provider's workspaces, not the customer's; without it the note is skipped.
   */
  readonly reachSdm?: (customer: Customer, prefer: Platform) => Promise<ConversationRef | null>;
  readonly batchSize?: number;
  readonly leaseMs?: number;
  readonly maxAttempts?: number;
  /** A pacing wait longer than this releases the row instead of holding its lease. */
  readonly maxInlineWaitMs?: number;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly random?: () => number;
  /** How long a stop may spend delivering before it gives the rest back unsent (default STOP_BUDGET_MS). */
  readonly stopBudgetMs?: number;
}

export interface Dispatcher {
  /** One pass: claim, deliver, record. Returns how many rows it handled. Never runs twice at once. */
  runOnce(): Promise<number>;
  /** Runs passes on a timer and whenever notify() is called. */
  start(intervalMs: number): void;
  notify(): void;
  stop(): Promise<void>;
}

/** A row this instance may no longer send: its lane moved to another instance (shared stores only). */
class TakenOverError extends Error {
  constructor(id: number) {
    super(`outbox row ${id} belongs to another instance now`);
    this.name = 'TakenOverError';
  }
}

export { PAUSE_AFTER_FAILURES } from './delivery-failures.js';

/** Claim passes a stop still runs for what is already due (each takes at most a batch). */
const FINAL_PASSES = 3;
/** A stop's time for deliveries: well under the 15 s after which adapters/start.ts exits anyway. */
const STOP_BUDGET_MS = 5_000;

/** Said on a fresh card that replaces a post which no longer exists. */
export const REPOSTED = '(The earlier post about this incident is no longer there, so this is a new one.)';

const isMessageGone = (error: unknown): boolean =>
  error instanceof ChatDeliveryError && error.failure === 'messageGone';

const defaultSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Creates the dispatcher over the store's outbox and the platforms' chat ports. */
export function createDispatcher(deps: DispatcherDeps): Dispatcher {
  const { store, clock, logger } = deps;
  const batchSize = deps.batchSize ?? 200;
  const leaseMs = deps.leaseMs ?? 120_000;
  const maxAttempts = deps.maxAttempts ?? 12;
  const maxInlineWaitMs = deps.maxInlineWaitMs ?? 5_000;
  const sleep = deps.sleep ?? defaultSleep;
  const customers = new Map<string, Customer>(deps.directory.customers.map((c) => [c.id, c]));
  const failuresOf = createFailureHandler({ ...deps, maxAttempts });

  /**
   * Sends through `chat` when its port says the conversation may be sent to: a short wait is slept here, a
   * long one releases the row ('throttled') instead of holding its lease. The port records the send itself.
   */
  async function send(
    chat: ChatPort,
    conversation: ConversationRef,
    kind: SendKind,
    act: () => Promise<void>,
    itemId: number,
  ): Promise<void> {
    const wait = chat.delayFor(conversation, kind);
    if (wait > maxInlineWaitMs)
      throw new ChatDeliveryError('throttled', 'paced: the conversation is at its platform limit', {
        retryAfterMs: wait,
      });
    if (wait > 0) await sleep(wait);
    // Checked after the pacing wait, right before the platform call: on a shared store the row may have gone
    // to another instance while this one waited or stalled (SIGSTOP), and then it must not be sent here.
    if (!(await store.touchOutbox(itemId, leaseMs, clock.now()))) throw new TakenOverError(itemId);
    try {
      await act();
    } catch (error) {
      // An edit replaces the whole message, so repeating it is safe even when it may have landed.
      if (kind === 'update' && error instanceof ChatDeliveryError && error.maybeSent)
        throw new ChatDeliveryError(error.failure, error.message, {
          retryAfterMs: error.retryAfterMs,
          cause: error,
        });
      throw error;
    }
  }

  async function deliver(item: OutboxItem, binding: ChannelBinding, chat: ChatPort): Promise<void> {
    const conv = binding.conversation;
    const customer = customers.get(item.customerId);
    const stored = await store.getIncident(item.customerId, item.incidentId);
    const incident = stored === null || deps.present === undefined ? stored : await deps.present(stored);
    if (customer === undefined || incident === null) {
      await store.abandonOutbox(item.id, 'incident or customer no longer known');
      return;
    }
    await assertMayPost(deps.directory, chat, binding);
    const now = clock.now();
    const post = await store.getIncidentPost(binding.id, item.incidentId);
    const payload = item.payload as unknown as AlertPayload & { stage?: ReminderStage; handedOffAt?: number };

    if (item.kind === 'reminder') {
      const stillWaiting = incident.status === 'awaitingAction' && post !== null;
      if (stillWaiting && payload.stage !== undefined) {
        const message = reminderMessage(
          payload.stage,
          incident,
          customer.name,
          now.getTime() - (payload.handedOffAt ?? now.getTime()),
          binding.onCall,
        );
        if (payload.stage === 'sdm') await sendToSdm(customer, conv, message, item.id);
        else
          await send(
            chat,
            conv,
            'post',
            async () =>
              void (await chat.reply(conv, post.messageId, message).catch(async (error: unknown) => {
                // The post it belonged under was deleted: the reminder still matters, so it goes top-level.
                if (!isMessageGone(error)) throw error;
                return chat.post(conv, message);
              })),
            item.id,
          );
      }
      await store.completeOutbox(item.id);
      return;
    }

    const card = alertCard(customer.name, incident, payload.line, now);
    if (item.kind === REDRAW_KIND) {
      // Only an existing post is redrawn; a post that is gone stays gone (its thread carries the news).
      if (post !== null)
        await send(chat, conv, 'update', () => chat.update(conv, post.messageId, card), item.id).catch(
          (error: unknown) => {
            if (!isMessageGone(error)) throw error;
          },
        );
      await store.completeOutbox(item.id);
      return;
    }
    /** Posts the incident's card in this channel and returns the post to record with the completion. */
    const postCard = async (message: Reply): Promise<IncidentPost> => {
      let messageId = '';
      await send(
        chat,
        conv,
        'post',
        async () => {
          messageId = (await chat.post(conv, message)).messageId;
        },
        item.id,
      );
      const { customerId, incidentId } = item;
      return { bindingId: binding.id, customerId, incidentId, messageId, postedAt: now.toISOString() };
    };
    let newPost: IncidentPost | undefined;
    if (post === null) {
      if (!payload.matchesRule) {
        await store.completeOutbox(item.id);
        return;
      }
      newPost = await postCard(card);
    } else {
      try {
        await send(chat, conv, 'update', () => chat.update(conv, post.messageId, card), item.id);
        await send(
          chat,
          conv,
          'post',
          async () => void (await chat.reply(conv, post.messageId, threadLine(payload.line))),
          item.id,
        );
      } catch (error) {
        if (!isMessageGone(error)) throw error;
        // The recorded post was deleted (or the console chat restarted): forget it and post a fresh card
        // that says so; the channel itself is fine, so this never counts towards pausing the binding.
        logger.info(
          { outbox: item.id, binding: binding.id, incident: item.incidentId },
          'the incident post no longer exists; posting a fresh card',
        );
        newPost = await postCard(alertCard(customer.name, incident, `${payload.line} ${REPOSTED}`, now));
      }
    }
    // The post, the reminders and the completion are one durable write: after a crash before it, the row is
    // delivered again (the platforms cannot de-duplicate), which is the "at most one duplicate per crash".
    await store.completeOutbox(item.id, {
      ...(newPost ? { post: newPost } : {}),
      ...(item.kind === 'handedOff' ? { enqueue: reminderDrafts(deps.reminders, binding, item, now) } : {}),
    });
    deps.observer?.delivered(
      conv.platform,
      item.kind,
      typeof payload.detectedAt === 'number' ? now.getTime() - payload.detectedAt : null,
    );
  }

  async function sendToSdm(
    customer: Customer,
    conv: ConversationRef,
    message: Reply,
    itemId: number,
  ): Promise<void> {
    if (deps.reachSdm === undefined || customer.sdm === null) return;
    const dm = await deps.reachSdm(customer, conv.platform);
    const chat = dm === null ? undefined : deps.chatFor(dm.platform);
    if (dm === null || chat === undefined) return;
    await send(chat, dm, 'post', async () => void (await chat.post(dm, message)), itemId);
  }

  /** Delivers one row; `stop` when the lane must stop (the rest of its queue is released). */
  async function processItem(
    item: OutboxItem,
    binding: ChannelBinding | null,
  ): Promise<{ stop: boolean; retryAfterMs: number }> {
    if (binding === null || binding.paused) {
      await store.abandonOutbox(item.id, binding === null ? 'binding removed' : 'binding paused');
      return { stop: false, retryAfterMs: 0 };
    }
    const chat = deps.chatFor(binding.conversation.platform);
    if (chat === undefined) {
      await store.retryOutbox(
        item.id,
        new Date(clock.now().getTime() + 60_000),
        `${binding.conversation.platform} is not configured`,
        false,
      );
      return { stop: false, retryAfterMs: 0 };
    }
    try {
      await deliver(item, binding, chat);
      failuresOf.succeeded(binding.id);
      return { stop: false, retryAfterMs: 0 };
    } catch (error) {
      if (error instanceof TakenOverError) {
        logger.warn(
          { outbox: item.id, binding: binding.id },
          'alert row taken over by another instance; not sent',
        );
        return { stop: false, retryAfterMs: 0 };
      }
      const stop = (await failuresOf.handle(item, binding, error)) === 'stopLane';
      const retryAfterMs =
        error instanceof ChatDeliveryError && error.retryAfterMs ? error.retryAfterMs : 1_000;
      return { stop, retryAfterMs };
    }
  }

  // One worker per conversation: a slow channel (Slack, one message a second) never holds up a fast one.
  // Claimed rows join their conversation's queue; the worker drains it in order.
  interface Lane {
    readonly queue: Array<{ item: OutboxItem; binding: ChannelBinding | null }>;
    worker: Promise<void> | null;
  }
  const lanes = new Map<string, Lane>();
  const inflight = new Set<number>();
  /** Once stopping: when (performance.now()) the rows still waiting in lanes are given back unsent. */
  let giveBackAt: number | null = null;

  /** Releases rows unsent (no attempt counted), for the next start or another instance to take at once. */
  async function giveBack(rows: readonly { item: OutboxItem }[], why: string): Promise<void> {
    for (const { item } of rows) {
      try {
        await store.retryOutbox(item.id, clock.now(), why, false);
      } catch (error) {
        logger.warn({ err: error, outbox: item.id }, 'could not release an alert row; its lease will expire');
      } finally {
        inflight.delete(item.id);
      }
    }
  }

  async function work(key: string, lane: Lane): Promise<void> {
    for (let next = lane.queue.shift(); next !== undefined; next = lane.queue.shift()) {
      if (giveBackAt !== null && performance.now() >= giveBackAt) {
        await giveBack([next, ...lane.queue.splice(0)], 'released unsent at stop');
        break;
      }
      try {
        const { stop, retryAfterMs } = await processItem(next.item, next.binding);
        if (stop) {
          // Release the rest of this conversation's rows at once rather than letting their leases run out.
          const notBefore = new Date(clock.now().getTime() + retryAfterMs);
          for (const rest of lane.queue.splice(0)) {
            await store.retryOutbox(rest.item.id, notBefore, 'waiting behind a failed message', false);
            inflight.delete(rest.item.id);
          }
        }
      } catch (error) {
        logger.error({ err: error, outbox: next.item.id }, 'alert dispatch failed');
      } finally {
        inflight.delete(next.item.id);
      }
    }
    lane.worker = null;
    lanes.delete(key);
    kick();
  }

  /** Claims due rows and hands them to their conversations' workers; returns how many it took. */
  async function claim(): Promise<number> {
    const items = (await store.claimOutbox(batchSize, leaseMs, clock.now())).filter(
      (i) => !inflight.has(i.id),
    );
    const bindings = new Map<string, ChannelBinding | null>();
    for (const item of items) {
      if (!bindings.has(item.bindingId)) bindings.set(item.bindingId, await store.getBinding(item.bindingId));
      const binding = bindings.get(item.bindingId) ?? null;
      const key = binding?.conversation.id ?? `gone:${item.bindingId}`;
      let lane = lanes.get(key);
      if (lane === undefined) {
        lane = { queue: [], worker: null };
        lanes.set(key, lane);
      }
      inflight.add(item.id);
      lane.queue.push({ item, binding });
      if (lane.worker === null) {
        const l = lane;
        l.worker = work(key, l);
      }
    }
    return items.length;
  }

  // A notify that arrives while a claim is running must not be lost: that claim's query may predate the new
  // rows, so one more claim follows it.
  let claiming: Promise<number> | null = null;
  let claimAgain = false;
  const claimOnce = (): Promise<number> => {
    if (claiming !== null) {
      claimAgain = true;
      return claiming;
    }
    claiming = claim()
      .catch((error: unknown) => {
        logger.error(
          { err: error instanceof BotError ? error.message : error },
          'alert dispatch pass failed',
        );
        return 0;
      })
      .then(async (n) => {
        claiming = null;
        if (!claimAgain) return n;
        claimAgain = false;
        return n + (await claimOnce());
      });
    return claiming;
  };
  const drain = async (): Promise<void> => {
    while (lanes.size > 0) await Promise.all([...lanes.values()].map((l) => l.worker));
  };

  /** One pass that also waits for the deliveries it started (tests, benchmarks). */
  async function runOnce(): Promise<number> {
    const n = await claimOnce();
    await drain();
    return n;
  }

  let timer: NodeJS.Timeout | null = null;
  let stopped = false;
  // Also without the timer (tests, the console harness): a freed lane must claim its incident's next rows.
  function kick(): void {
    if (stopped) return;
    void claimOnce();
  }
  return {
    runOnce,
    start(intervalMs) {
      if (timer !== null) return;
      stopped = false;
      timer = setInterval(kick, intervalMs);
      timer.unref();
      kick();
    },
    notify() {
      if (timer === null) void runOnce();
      else kick();
    },
    async stop() {
      const running = timer !== null;
      if (timer !== null) clearInterval(timer);
      timer = null;
      stopped = true; // finished lanes no longer claim on their own
      giveBackAt = performance.now() + (deps.stopBudgetMs ?? STOP_BUDGET_MS);
      await claiming;
      // What became due before the stop (alerts of the sync pass that ended just now, follow-ups of the
      // deliveries in flight) goes out now rather than at the next start, which on a single instance may be
      // much later: a few more passes while they find something and time is left. Rows not sent within the
      // budget are given back unsent rather than held under a lease the exit would strand.
      for (let pass = 0; running && pass < FINAL_PASSES && performance.now() < giveBackAt; pass += 1) {
        if ((await claimOnce()) === 0) break;
        await drain();
      }
      await drain();
    },
  };
}
