import { bool, int, json, key, type Rows, serial, table, text, timestamp } from '../declare.js';
import type { FeatureSchema } from '../migrator.js';

// The relay's tables, declared once (../declare.ts): pairs of threads, the durable per-pair queue, the map from
// each source message to its relayed copy, held messages and read marks. The step names are those of the
// builds that still counted steps, recorded on every database so those builds open it. APPEND named steps
// that move data.

export const RELAY_TABLES = {
  relay_pairs: table(
    {
      id: key().looseOnSqlite(),
      kind: text(),
      customer_id: text(),
      subject_id: text(),
      customer_conv: text(),
      customer_ref: json(),
      customer_thread: text().nullable(),
      customer_whole: bool(),
      provider_conv: text(),
      provider_ref: json(),
      provider_thread: text().nullable(),
      provider_whole: bool(),
      provider_label: text(),
      created_at: timestamp(),
      last_activity_at: timestamp(),
      /** Choices and acknowledgements in chats without threads. */
      title: text().default(''),
    },
    {
      primaryKey: 'id',
      unique: ['kind, customer_id, subject_id'],
      indexes: {
        relay_pairs_customer_thread: 'customer_conv, customer_thread',
        relay_pairs_provider_thread: 'provider_conv, provider_thread',
        relay_pairs_customer_whole: 'customer_conv, customer_whole, last_activity_at',
        relay_pairs_provider_whole: 'provider_conv, provider_whole, last_activity_at',
        relay_pairs_customer_activity: 'customer_id, last_activity_at',
        relay_pairs_activity: 'last_activity_at',
      },
    },
  ),
  relay_queue: table(
    {
      seq: serial(),
      pair_id: text(),
      dedup_key: text(),
      to_side: text(),
      op: text(),
      source_id: text().nullable(),
      source_at: timestamp(),
      message: json(),
      state: text<'pending' | 'done' | 'abandoned'>(),
      attempts: int().default(0),
      not_before: timestamp(),
      leased_until: timestamp().nullable(),
      leased_by: text().nullable(),
      last_error: text().nullable(),
      created_at: timestamp(),
    },
    {
      unique: ['dedup_key'],
      indexes: {
        relay_queue_pending: {
          sqlite: 'state, pair_id, source_at, seq',
          postgres: { on: 'pair_id, source_at, seq', where: "state = 'pending'" },
        },
      },
    },
  ),
  relay_copies: table(
    {
      pair_id: text(),
      to_side: text(),
      source_id: text(),
      copy_id: text().nullable(),
      version: timestamp(),
      deleted: bool(),
    },
    // copy_id: a reply under a relayed message answers its request.
    { primaryKey: 'pair_id, to_side, source_id', indexes: { relay_copies_copy: 'copy_id' } },
  ),
  relay_held: table(
    { conversation_id: text(), source_id: text(), author: text(), text: text(), held_at: timestamp() },
    { primaryKey: 'conversation_id, source_id' },
  ),
  // Unread-by-you in the messages view.
  relay_reads: table(
    { pair_id: text(), reader: text(), read_at: timestamp() },
    { primaryKey: 'pair_id, reader' },
  ),
};

export type RelayTables = Rows<typeof RELAY_TABLES>;
export type RelayPairsTable = RelayTables['relay_pairs'];
export type RelayQueueTable = RelayTables['relay_queue'];
export type RelayCopiesTable = RelayTables['relay_copies'];
export type RelayHeldTable = RelayTables['relay_held'];
export type RelayReadsTable = RelayTables['relay_reads'];

export const RELAY_SCHEMA: FeatureSchema = {
  feature: 'relay',
  tables: RELAY_TABLES,
  legacy: { sqlite: 4, postgres: 4 },
  migrations: [
    { name: '0001-pairs-queue-copies' },
    { name: '0002-pair-title-and-held' },
    { name: '0003-read-marks' },
    { name: '0004-copies-by-copy-id' },
    { name: '0005-real-types-and-lessee' },
  ],
};
