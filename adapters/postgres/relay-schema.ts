import type { PgSchemaModule } from './migrations.js';

// The relay module's PostgreSQL schema steps (append-only), apart from the store so each file stays small.

/** The module's own schema steps; the factory below applies them before handing out the store. */
export const RELAY_MODULE: PgSchemaModule = {
  module: 'relay',
  migrations: [
    {
      version: 1,
      description: 'relay pairs, queue and copies',
      up: `
        CREATE TABLE relay_pairs (
          id text COLLATE "C" PRIMARY KEY,
          kind text NOT NULL,
          customer_id text NOT NULL,
          subject_id text NOT NULL,
          customer_conv text NOT NULL,
          customer_ref text NOT NULL,
          customer_thread text,
          customer_whole smallint NOT NULL,
          provider_conv text NOT NULL,
          provider_ref text NOT NULL,
          provider_thread text,
          provider_whole smallint NOT NULL,
          provider_label text NOT NULL,
          created_at text COLLATE "C" NOT NULL,
          last_activity_at text COLLATE "C" NOT NULL,
          UNIQUE (kind, customer_id, subject_id)
        );
        CREATE INDEX relay_pairs_customer_thread ON relay_pairs (customer_conv, customer_thread);
        CREATE INDEX relay_pairs_provider_thread ON relay_pairs (provider_conv, provider_thread);
        CREATE TABLE relay_queue (
          seq bigserial PRIMARY KEY,
          pair_id text NOT NULL,
          dedup_key text NOT NULL UNIQUE,
          to_side text NOT NULL,
          op text NOT NULL,
          source_id text,
          source_at text COLLATE "C" NOT NULL,
          message text NOT NULL,
          state text NOT NULL,
          attempts integer NOT NULL DEFAULT 0,
          not_before text COLLATE "C" NOT NULL,
          leased_until text COLLATE "C",
          leased_by text,
          last_error text,
          created_at text NOT NULL
        );
        CREATE INDEX relay_queue_pending ON relay_queue (pair_id, source_at, seq) WHERE state = 'pending';
        CREATE TABLE relay_copies (
          pair_id text NOT NULL,
          to_side text NOT NULL,
          source_id text NOT NULL,
          copy_id text,
          version text NOT NULL,
          deleted smallint NOT NULL,
          PRIMARY KEY (pair_id, to_side, source_id)
        );`,
    },
    {
      version: 2,
      description: 'relay pair title (choices and acknowledgements in chats without threads)',
      up: `ALTER TABLE relay_pairs ADD COLUMN title text NOT NULL DEFAULT '';
        CREATE INDEX relay_pairs_customer_whole ON relay_pairs (customer_conv, customer_whole, last_activity_at);
        CREATE INDEX relay_pairs_provider_whole ON relay_pairs (provider_conv, provider_whole, last_activity_at);
        CREATE TABLE relay_held (
          conversation_id text NOT NULL,
          source_id text NOT NULL,
          author text NOT NULL,
          text text NOT NULL,
          held_at text COLLATE "C" NOT NULL,
          PRIMARY KEY (conversation_id, source_id)
        );`,
    },
    {
      version: 3,
      description: 'relay read marks (unread-by-you in the messages view) and the history listing index',
      up: `CREATE TABLE relay_reads (
          pair_id text NOT NULL,
          reader text NOT NULL,
          read_at text COLLATE "C" NOT NULL,
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
  ],
};
