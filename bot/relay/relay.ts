import { randomUUID } from 'node:crypto';
import type { Clock, Logger, Reply } from '../ports.js';
import type { RelayDraft, RelayStore } from './relay-ports.js';
import type { OpenPairInput, RelayHooks, RelayKind, RelayPair, RelaySideName, SideSpec } from './types.js';

// The relay service flows call: open a pair of threads, put a bot-authored message or a re-drawn root card
// in order with the relayed ones, and register what each kind of pair does on a relayed message. Delivery
// is the worker's job (relay-worker.ts); this only writes durable queue items and wakes it.

export interface RelayDeps {
  readonly store: RelayStore;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Wakes the worker after something was queued (the worker also runs on a timer). */
  readonly wake?: () => void;
  /**
   * How long a person's message waits before delivery so that an earlier message delivered late by the
   * platform can still go first (order by the platform's timestamp). Default 1 s.
   */
  readonly settleMs?: number;
}

export interface Relay {
  /** Opens (or returns, unchanged) the pair for (kind, customerId, subjectId); roots are queued first. */
  openPair(input: OpenPairInput): Promise<RelayPair>;
  findPair(kind: RelayKind, customerId: string, subjectId: string): Promise<RelayPair | null>;
  /** A bot-authored message into one side's thread, in order with relayed ones; false if dedupKey was seen. */
  say(pairId: string, to: RelaySideName, message: Reply, dedupKey: string): Promise<boolean>;
  /** Re-draws the root card of one side (a state change); false if dedupKey was seen. */
  updateRoot(pairId: string, side: RelaySideName, message: Reply, dedupKey: string): Promise<boolean>;
  registerHooks(kind: RelayKind, hooks: RelayHooks): void;
  hooksFor(kind: RelayKind): RelayHooks;
  /** Queues person-authored items (the inbound step uses it). */
  enqueue(drafts: readonly RelayDraft[]): Promise<number>;
  readonly store: RelayStore;
  readonly settleMs: number;
  readonly clock: Clock;
  readonly logger: Logger;
}

const checkSide = (name: string, side: SideSpec): void => {
  if (side.threadId === null && side.root === undefined && side.wholeConversation !== true)
    throw new Error(`relay: the ${name} side needs a thread, a root message or wholeConversation`);
};

/** Creates the relay over its store. */
export function createRelay(deps: RelayDeps): Relay {
  const { store, clock } = deps;
  const hooks = new Map<RelayKind, RelayHooks>();
  const wake = (): void => deps.wake?.();

  async function enqueue(drafts: readonly RelayDraft[]): Promise<number> {
    if (drafts.length === 0) return 0;
    const added = await store.enqueue(drafts, clock.now().toISOString());
    if (added > 0) wake();
    return added;
  }

  const botItem = (
    pairId: string,
    to: RelaySideName,
    op: 'say' | 'update-root',
    message: Reply,
    dedupKey: string,
  ): RelayDraft => {
    const now = clock.now().toISOString();
    return { pairId, dedupKey, to, op, sourceId: null, sourceAt: now, message, notBefore: now };
  };

  return {
    store,
    clock,
    logger: deps.logger,
    settleMs: deps.settleMs ?? 1_000,
    async openPair(input) {
      checkSide('customer', input.customer);
      checkSide('provider', input.provider);
      const now = clock.now().toISOString();
      const roots = (pairId: string): RelayDraft[] => {
        const out: RelayDraft[] = [];
        for (const [to, spec] of [
          ['customer', input.customer],
          ['provider', input.provider],
        ] as const) {
          if (spec.threadId !== null || spec.root === undefined) continue;
          out.push({
            pairId,
            dedupKey: `root:${pairId}:${to}`,
            to,
            op: 'root',
            sourceId: null,
            sourceAt: now,
            message: spec.root,
            notBefore: now,
          });
        }
        return out;
      };
      const side = (spec: SideSpec) => ({
        conversation: { ...spec.conversation, threadId: null },
        threadId: spec.threadId,
        wholeConversation: spec.wholeConversation === true,
      });
      const { pair, created } = await store.openPair(
        {
          id: `rp-${randomUUID()}`,
          kind: input.kind,
          customerId: input.customerId,
          subjectId: input.subjectId,
          customer: side(input.customer),
          provider: side(input.provider),
          providerLabel: input.providerLabel,
          title: input.title ?? '',
          createdAt: now,
        },
        roots,
      );
      if (created) wake();
      return pair;
    },
    findPair: (kind, customerId, subjectId) => store.findPair(kind, customerId, subjectId),
    async say(pairId, to, message, dedupKey) {
      return (await enqueue([botItem(pairId, to, 'say', message, `say:${dedupKey}`)])) > 0;
    },
    async updateRoot(pairId, side, message, dedupKey) {
      return (await enqueue([botItem(pairId, side, 'update-root', message, `root-update:${dedupKey}`)])) > 0;
    },
    registerHooks(kind, h) {
      hooks.set(kind, h);
    },
    hooksFor: (kind) => hooks.get(kind) ?? {},
    enqueue,
  };
}
