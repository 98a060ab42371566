import type { Kysely, Selectable } from 'kysely';
import { BotError } from '../../../bot/errors.js';
import type { HeldMessage, NewPair, RelayCopy, RelayItem } from '../../../bot/relay/relay-ports.js';
import { RELAY_KINDS, type RelayPair, type RelaySide, type RelaySideName } from '../../../bot/relay/types.js';
import type { CoreTables } from '../core/core-schema.js';
import type { StoreDb } from '../database.js';
import type { Dialect } from '../dialect.js';
import { stamp } from '../feature-kit.js';
import type { RelayTables } from './relay-schema.js';

// The relay's rows ↔ values, through the dialect's codecs; and the handle types its modules share.

export type RelayDb = StoreDb<CoreTables & RelayTables>;
export type RelayTrx = Kysely<CoreTables & RelayTables>;
export type PairRow = Selectable<RelayTables['relay_pairs']>;
export type CopyRow = Selectable<RelayTables['relay_copies']>;
export type HeldRow = Selectable<RelayTables['relay_held']>;
export type QueueRow = Selectable<RelayTables['relay_queue']>;

const asKind = (k: string): RelayPair['kind'] => {
  if (!(RELAY_KINDS as readonly string[]).includes(k)) throw new BotError('bad_input', `relay kind ${k}`);
  return k as RelayPair['kind'];
};
export const asSide = (s: string): RelaySideName => (s === 'provider' ? 'provider' : 'customer');

const sideOf = (d: Dialect, r: PairRow, side: RelaySideName): RelaySide => ({
  conversation: d.readJson(r[`${side}_ref`]),
  threadId: r[`${side}_thread`],
  wholeConversation: d.readBool(r[`${side}_whole`]),
});

export const toPair = (d: Dialect, r: PairRow): RelayPair => ({
  ...{ id: r.id, kind: asKind(r.kind), customerId: r.customer_id, subjectId: r.subject_id },
  ...{ customer: sideOf(d, r, 'customer'), provider: sideOf(d, r, 'provider') },
  ...{ providerLabel: r.provider_label, title: r.title ?? '' },
  ...{ createdAt: d.readTimestamp(r.created_at), lastActivityAt: d.readTimestamp(r.last_activity_at) },
});

/** A new pair's row (each side's conversation kept without a thread: the thread has its own column). */
export const pairRow = (d: Dialect, p: NewPair) => ({
  ...{ id: p.id, kind: p.kind, customer_id: p.customerId, subject_id: p.subjectId },
  customer_conv: p.customer.conversation.id,
  customer_ref: d.json({ ...p.customer.conversation, threadId: null }),
  customer_thread: p.customer.threadId,
  customer_whole: d.bool(p.customer.wholeConversation),
  provider_conv: p.provider.conversation.id,
  provider_ref: d.json({ ...p.provider.conversation, threadId: null }),
  provider_thread: p.provider.threadId,
  provider_whole: d.bool(p.provider.wholeConversation),
  ...{ provider_label: p.providerLabel, title: p.title ?? '' },
  ...{ created_at: stamp(d, p.createdAt, 'createdAt'), last_activity_at: d.timestamp(p.createdAt) },
});

export const toItem = (d: Dialect, r: QueueRow): RelayItem => ({
  ...{ seq: d.readInt(r.seq), pairId: r.pair_id, dedupKey: r.dedup_key, to: asSide(r.to_side) },
  ...{ op: r.op as RelayItem['op'], sourceId: r.source_id, sourceAt: d.readTimestamp(r.source_at) },
  ...{
    message: d.readJson(r.message),
    notBefore: d.readTimestamp(r.not_before),
    attempts: r.attempts,
  },
});

export const toCopy = (d: Dialect, r: CopyRow): RelayCopy => ({
  ...{ pairId: r.pair_id, to: asSide(r.to_side), sourceId: r.source_id, copyId: r.copy_id },
  ...{ version: d.readTimestamp(r.version), deleted: d.readBool(r.deleted) },
});

export const toHeld = (d: Dialect, r: HeldRow): HeldMessage => ({
  ...{ conversationId: r.conversation_id, sourceId: r.source_id, author: r.author, text: r.text },
  heldAt: d.readTimestamp(r.held_at),
});
