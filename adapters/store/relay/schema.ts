import type { FeatureSchema } from '../migrator.js';

// The relay's tables: pairs of threads, the durable per-pair queue, the map from each source message to its
// relayed copy, held messages and read marks. 0001–0004 are the old module runner's steps verbatim (a
// database it made is adopted, see legacy.ts); 0005 gives SQLite's queue the lessee column PostgreSQL had,
// and turns PostgreSQL's text instants, JSON and 0/1 flags into timestamptz, jsonb and boolean in place.

export const RELAY_SCHEMA: FeatureSchema = {
  feature: 'relay',
  legacy: { sqlite: 4, postgres: 4 },
  migrations: [
    {
      name: '0001-pairs-queue-copies',
      sqlite: `
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
      postgres: `
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
      // Choices and acknowledgements in chats without threads.
      name: '0002-pair-title-and-held',
      sqlite: `ALTER TABLE relay_pairs ADD COLUMN title TEXT NOT NULL DEFAULT '';
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
      postgres: `ALTER TABLE relay_pairs ADD COLUMN title text NOT NULL DEFAULT '';
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
      // Unread-by-you in the messages view, and the history listing index.
      name: '0003-read-marks',
      sqlite: `CREATE TABLE relay_reads (
        pair_id TEXT NOT NULL,
        reader TEXT NOT NULL,
        read_at TEXT NOT NULL,
        PRIMARY KEY (pair_id, reader)
      );
      CREATE INDEX relay_pairs_customer_activity ON relay_pairs (customer_id, last_activity_at);
      CREATE INDEX relay_pairs_activity ON relay_pairs (last_activity_at);`,
      postgres: `CREATE TABLE relay_reads (
          pair_id text NOT NULL,
          reader text NOT NULL,
          read_at text COLLATE "C" NOT NULL,
          PRIMARY KEY (pair_id, reader)
        );
        CREATE INDEX relay_pairs_customer_activity ON relay_pairs (customer_id, last_activity_at);
        CREATE INDEX relay_pairs_activity ON relay_pairs (last_activity_at);`,
    },
    {
      // A reply under a relayed message answers its request.
      name: '0004-copies-by-copy-id',
      sqlite: 'CREATE INDEX relay_copies_copy ON relay_copies (copy_id);',
      postgres: 'CREATE INDEX relay_copies_copy ON relay_copies (copy_id);',
    },
    {
      name: '0005-real-types-and-lessee',
      // One process per file, but the same queue code as PostgreSQL: a lease names its holder there too.
      sqlite: 'ALTER TABLE relay_queue ADD COLUMN leased_by TEXT;',
      // A value that does not convert fails the step: its transaction rolls back, the old columns stay.
      postgres: `
        ALTER TABLE relay_pairs ALTER COLUMN customer_ref TYPE jsonb USING customer_ref::jsonb,
          ALTER COLUMN provider_ref TYPE jsonb USING provider_ref::jsonb,
          ALTER COLUMN customer_whole TYPE boolean USING customer_whole <> 0,
          ALTER COLUMN provider_whole TYPE boolean USING provider_whole <> 0,
          ALTER COLUMN created_at TYPE timestamptz USING created_at::timestamptz,
          ALTER COLUMN last_activity_at TYPE timestamptz USING last_activity_at::timestamptz;
        ALTER TABLE relay_queue ALTER COLUMN message TYPE jsonb USING message::jsonb,
          ALTER COLUMN source_at TYPE timestamptz USING source_at::timestamptz,
          ALTER COLUMN not_before TYPE timestamptz USING not_before::timestamptz,
          ALTER COLUMN leased_until TYPE timestamptz USING leased_until::timestamptz,
          ALTER COLUMN created_at TYPE timestamptz USING created_at::timestamptz;
        ALTER TABLE relay_copies ALTER COLUMN version TYPE timestamptz USING version::timestamptz,
          ALTER COLUMN deleted TYPE boolean USING deleted <> 0;
        ALTER TABLE relay_held ALTER COLUMN held_at TYPE timestamptz USING held_at::timestamptz;
        ALTER TABLE relay_reads ALTER COLUMN read_at TYPE timestamptz USING read_at::timestamptz;
      `,
    },
  ],
};
