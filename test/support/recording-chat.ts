import type { ConversationRef } from '../../bot/domain/conversation.js';
import { ChatDeliveryError, type DeliveryFailure } from '../../bot/errors.js';
import { createPacer, type Window } from '../../bot/pacing/windows.js';
import type { ChatPort, Clock, PostedMessage, Reply } from '../../bot/ports.js';

// A chat platform stand-in for the alert pipeline: it records every post, update and thread reply, enforces
// the platform's rate windows the way the platform would (429 with Retry-After when exceeded), and can be
// told to fail. It implements the ChatPort contract, `delayFor` included: like a real port it keeps its own
// pacer over the windows (with a small margin) and holds a conversation back after a 429, so a caller that
// asks it never sees a self-caused 429 and one that does not ask does. It is not a mock of our code.

export interface Delivery {
  readonly op: 'post' | 'update' | 'reply';
  readonly conversationId: string;
  readonly messageId: string;
  readonly text: string;
  readonly at: number;
  readonly mention?: string;
}

export interface RecordingChat extends ChatPort {
  readonly deliveries: Delivery[];
  /** Direct conversations opened: in which workspace, with whom. */
  readonly directOpened: { readonly workspaceId: string; readonly userId: string }[];
  /** Self-caused 429s: sends the stand-in refused because a window was full. */
  throttled: number;
  /**
   * The next `count` calls to this conversation fail with `failure`; `maybeSent`: the way a timeout or a
   * 502 fails, after which the platform may have shown the message (it is recorded as delivered then).
   */
  failNext(
    conversationId: string,
    failure: DeliveryFailure,
    count?: number,
    retryAfterMs?: number,
    maybeSent?: boolean,
  ): void;
  postsIn(conversationId: string): Delivery[];
}

/** Margin the stand-in's own pacer adds to each window, as the real ports do. */
const PACING_MARGIN_MS = 50;

/**
 * Creates the stand-in; `windows` empty means no rate enforcement. `windowedOps` says which calls count
 * against the windows: Teams counts every call, Slack's per-channel rule is about new messages only.
 * `pace: false` makes `delayFor` always answer 0 (a sender that learns the limits from 429s).
 */
export function createRecordingChat(
  clock: Clock,
  windows: readonly Window[] = [],
  windowedOps: ReadonlySet<Delivery['op']> = new Set(['post', 'update', 'reply']),
  options: { readonly pace?: boolean } = {},
): RecordingChat {
  const pacer =
    windows.length === 0 || options.pace === false
      ? null
      : createPacer(
          windows.map((w) => ({ ...w, perMs: w.perMs + PACING_MARGIN_MS })),
          clock,
        );
  const deliveries: Delivery[] = [];
  const directOpened: { workspaceId: string; userId: string }[] = [];
  const sent = new Map<string, number[]>();
  const failures = new Map<
    string,
    { failure: DeliveryFailure; count: number; retryAfterMs: number; maybeSent: boolean }
  >();
  let next = 0;

  /** An injected failure for this call, if one is due; `maybeSent` ones are thrown after recording. */
  function injectedFor(conversation: ConversationRef): ChatDeliveryError | null {
    const injected = failures.get(conversation.id);
    if (injected === undefined || injected.count <= 0) return null;
    injected.count -= 1;
    if (injected.failure === 'throttled')
      pacer?.block(conversation.id, clock.now().getTime() + injected.retryAfterMs);
    return new ChatDeliveryError(injected.failure, `injected ${injected.failure}`, {
      retryAfterMs: injected.retryAfterMs,
      maybeSent: injected.maybeSent,
    });
  }

  function admit(conversation: ConversationRef, op: Delivery['op']): void {
    const injected = failures.get(conversation.id);
    // A maybe-sent failure lets the message land and is thrown after it is recorded (see `after`).
    if (injected !== undefined && injected.count > 0 && !injected.maybeSent) {
      const error = injectedFor(conversation);
      if (error !== null) throw error;
    }
    if (!windowedOps.has(op)) return;
    const now = clock.now().getTime();
    const times = (sent.get(conversation.id) ?? []).filter((t) => t > now - 3_600_000);
    for (const w of windows) {
      if (times.filter((t) => t > now - w.perMs).length >= w.limit) {
        chat.throttled += 1;
        pacer?.block(conversation.id, clock.now().getTime() + 1_000);
        throw new ChatDeliveryError('throttled', '429 Too Many Requests', { retryAfterMs: 1_000 });
      }
    }
    times.push(now);
    sent.set(conversation.id, times);
    pacer?.record(conversation.id);
  }

  const record = (op: Delivery['op'], c: ConversationRef, messageId: string, m: Reply): void => {
    after(c, () =>
      deliveries.push({
        op,
        conversationId: c.id,
        messageId,
        text: m.card === null ? m.text : JSON.stringify(m.card),
        at: clock.now().getTime(),
        ...(m.mention ? { mention: m.mention.id } : {}),
      }),
    );
  };

  /** Runs `land` (the message reaches the channel), then throws a due maybe-sent failure. */
  function after(c: ConversationRef, land: () => void): void {
    land();
    const injected = failures.get(c.id);
    if (injected?.maybeSent !== true) return;
    const error = injectedFor(c);
    if (error !== null) throw error;
  }

  const chat: RecordingChat = {
    deliveries,
    directOpened,
    throttled: 0,
    delayFor(c, kind = 'post') {
      return pacer !== null && windowedOps.has(kind) ? pacer.delayFor(c.id) : 0;
    },
    async post(c, m): Promise<PostedMessage> {
      admit(c, 'post');
      next += 1;
      const messageId = `m${next}`;
      record('post', c, messageId, m);
      return { messageId };
    },
    async update(c, id, m) {
      admit(c, 'update');
      record('update', c, id, m);
    },
    async reply(c, id, m): Promise<PostedMessage> {
      admit(c, 'reply');
      next += 1;
      record('reply', c, id, m);
      return { messageId: `m${next}` };
    },
    async directConversation(workspaceId, userId) {
      directOpened.push({ workspaceId, userId });
      return { platform: 'web', id: `web:dm:${userId}`, threadId: null, kind: 'personal' };
    },
    failNext(conversationId, failure, count = 1, retryAfterMs = 0, maybeSent = false) {
      failures.set(conversationId, { failure, count, retryAfterMs, maybeSent });
    },
    postsIn(conversationId) {
      return deliveries.filter((d) => d.conversationId === conversationId && d.op === 'post');
    },
  };
  return chat;
}
