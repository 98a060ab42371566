import type { ConversationRef } from '../../bot/domain/conversation.js';
import { BotError } from '../../bot/errors.js';
import type { Reply } from '../../bot/ports.js';
import type { RelayCopy, RelayItem } from '../../bot/relay/ports.js';
import { RELAY_KINDS, type RelayKind, type RelayPair, type RelaySideName } from '../../bot/relay/types.js';

// The relay module's SQLite schema (its own append-only steps) and the row ↔ value mapping.

/** The 'relay' module's migrations. */
export const RELAY_MIGRATIONS = [
  {
    version: 1,
    description: 'relay pairs, queue and copies',
    up: `
      CREATE TABLE relay_pairs (
        id TEXT PRIMARY KEY,
        kind TEXT NOT NULL,
        customer_id TEXT NOT NULL,
        subject_id TEXT NOT NULL,
        customer_conv TEXT NOT NULL,
        customer_ref TEXT NOT NULL,
        customer_thread TEXT,
        customer_whole INTEGER NOT NULL,
        provider_conv TEXT NOT NULL,
        provider_ref TEXT NOT NULL,
        provider_thread TEXT,
        provider_whole INTEGER NOT NULL,
        provider_label TEXT NOT NULL,
        created_at TEXT NOT NULL,
        last_activity_at TEXT NOT NULL,
        UNIQUE (kind, customer_id, subject_id)
      );
      CREATE INDEX relay_pairs_customer_thread ON relay_pairs (customer_conv, customer_thread);
      CREATE INDEX relay_pairs_provider_thread ON relay_pairs (provider_conv, provider_thread);
      CREATE TABLE relay_queue (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        pair_id TEXT NOT NULL,
        dedup_key TEXT NOT NULL UNIQUE,
        to_side TEXT NOT NULL,
        op TEXT NOT NULL,
        source_id TEXT,
        source_at TEXT NOT NULL,
        message TEXT NOT NULL,
        state TEXT NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0,
        not_before TEXT NOT NULL,
        leased_until TEXT,
        last_error TEXT,
        created_at TEXT NOT NULL
      );
      CREATE INDEX relay_queue_pending ON relay_queue (state, pair_id, source_at, seq);
      CREATE TABLE relay_copies (
        pair_id TEXT NOT NULL,
        to_side TEXT NOT NULL,
        source_id TEXT NOT NULL,
        copy_id TEXT,
        version TEXT NOT NULL,
        deleted INTEGER NOT NULL,
        PRIMARY KEY (pair_id, to_side, source_id)
      );`,
  },
  {
    version: 2,
    description: 'relay pair title (choices and acknowledgements in chats without threads)',
    up: `ALTER TABLE relay_pairs ADD COLUMN title TEXT NOT NULL DEFAULT '';
      CREATE INDEX relay_pairs_customer_whole ON relay_pairs (customer_conv, customer_whole, last_activity_at);
      CREATE INDEX relay_pairs_provider_whole ON relay_pairs (provider_conv, provider_whole, last_activity_at);
      CREATE TABLE relay_held (
        conversation_id TEXT NOT NULL,
        source_id TEXT NOT NULL,
        author TEXT NOT NULL,
        text TEXT NOT NULL,
        held_at TEXT NOT NULL,
        PRIMARY KEY (conversation_id, source_id)
      );`,
  },
  {
    version: 3,
    description: 'relay read marks (unread-by-you in the messages view) and the history listing index',
    up: `CREATE TABLE relay_reads (
        pair_id TEXT NOT NULL,
        reader TEXT NOT NULL,
        read_at TEXT NOT NULL,
        PRIMARY KEY (pair_id, reader)
      );
      CREATE INDEX relay_pairs_customer_activity ON relay_pairs (customer_id, last_activity_at);
      CREATE INDEX relay_pairs_activity ON relay_pairs (last_activity_at);`,
  },
  {
    version: 4,
    description: 'relay copies by platform id (a reply under a relayed message answers its request)',
    up: 'CREATE INDEX relay_copies_copy ON relay_copies (copy_id);',
  },
];

export interface PairRow {
  id: string;
  kind: string;
  customer_id: string;
  subject_id: string;
  customer_ref: string;
  customer_thread: string | null;
  customer_whole: number;
  provider_ref: string;
  provider_thread: string | null;
  provider_whole: number;
  provider_label: string;
  title?: string | null;
  created_at: string;
  last_activity_at: string;
}

export interface QueueRow {
  seq: number;
  pair_id: string;
  dedup_key: string;
  to_side: string;
  op: string;
  source_id: string | null;
  source_at: string;
  message: string;
  attempts: number;
  not_before: string;
}

export interface CopyRow {
  pair_id: string;
  to_side: string;
  source_id: string;
  copy_id: string | null;
  version: string;
  deleted: number;
}

const asKind = (k: string): RelayKind => {
  if (!(RELAY_KINDS as readonly string[]).includes(k)) throw new BotError('bad_input', `relay kind ${k}`);
  return k as RelayKind;
};
const asSide = (s: string): RelaySideName => (s === 'provider' ? 'provider' : 'customer');

/** A pairs row as a pair. */
export const toPair = (r: PairRow): RelayPair => ({
  id: r.id,
  kind: asKind(r.kind),
  customerId: r.customer_id,
  subjectId: r.subject_id,
  customer: {
    conversation: JSON.parse(r.customer_ref) as ConversationRef,
    threadId: r.customer_thread,
    wholeConversation: r.customer_whole === 1,
  },
  provider: {
    conversation: JSON.parse(r.provider_ref) as ConversationRef,
    threadId: r.provider_thread,
    wholeConversation: r.provider_whole === 1,
  },
  providerLabel: r.provider_label,
  title: r.title ?? '',
  createdAt: r.created_at,
  lastActivityAt: r.last_activity_at,
});

/** A queue row as an item. */
export const toItem = (r: QueueRow): RelayItem => ({
  seq: r.seq,
  pairId: r.pair_id,
  dedupKey: r.dedup_key,
  to: asSide(r.to_side),
  op: r.op as RelayItem['op'],
  sourceId: r.source_id,
  sourceAt: r.source_at,
  message: JSON.parse(r.message) as Reply,
  notBefore: r.not_before,
  attempts: r.attempts,
});

/** A copies row as a copy. */
export const toCopy = (r: CopyRow): RelayCopy => ({
  pairId: r.pair_id,
  to: asSide(r.to_side),
  sourceId: r.source_id,
  copyId: r.copy_id,
  version: r.version,
  deleted: r.deleted === 1,
});
