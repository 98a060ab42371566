import type { ColumnType, Generated } from 'kysely';
import type { DbInt, DbTimestamp } from '../dialect.js';
import type { Bool, Json, Timestamp } from '../tables.js';

// The relay's tables as Kysely sees them (values through the dialect's codecs).

type MaybeTimestamp = ColumnType<DbTimestamp | null, DbTimestamp | null, DbTimestamp | null>;

export type RelayPairsTable = {
  id: string;
  kind: string;
  customer_id: string;
  subject_id: string;
  customer_conv: string;
  customer_ref: Json;
  customer_thread: string | null;
  customer_whole: Bool;
  provider_conv: string;
  provider_ref: Json;
  provider_thread: string | null;
  provider_whole: Bool;
  provider_label: string;
  title: string;
  created_at: Timestamp;
  last_activity_at: Timestamp;
};

export type RelayQueueTable = {
  seq: Generated<DbInt>;
  pair_id: string;
  dedup_key: string;
  to_side: string;
  op: string;
  source_id: string | null;
  source_at: Timestamp;
  message: Json;
  state: 'pending' | 'done' | 'abandoned';
  attempts: ColumnType<number, number | undefined, number>;
  not_before: Timestamp;
  leased_until: MaybeTimestamp;
  leased_by: string | null;
  last_error: string | null;
  created_at: Timestamp;
};

export type RelayCopiesTable = {
  pair_id: string;
  to_side: string;
  source_id: string;
  copy_id: string | null;
  version: Timestamp;
  deleted: Bool;
};

export type RelayHeldTable = {
  conversation_id: string;
  source_id: string;
  author: string;
  text: string;
  held_at: Timestamp;
};

export type RelayReadsTable = {
  pair_id: string;
  reader: string;
  read_at: Timestamp;
};

export type RelayTables = {
  relay_pairs: RelayPairsTable;
  relay_queue: RelayQueueTable;
  relay_copies: RelayCopiesTable;
  relay_held: RelayHeldTable;
  relay_reads: RelayReadsTable;
};
