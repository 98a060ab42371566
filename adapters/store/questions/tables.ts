import type { ColumnType } from 'kysely';
import type { DbTimestamp } from '../dialect.js';
import type { Timestamp } from '../tables.js';

// The questions table as Kysely sees it (instants through the dialect's timestamp codec).

type MaybeTimestamp = ColumnType<DbTimestamp | null, DbTimestamp | null, DbTimestamp | null>;

export type QuestionsTable = {
  id: string;
  customer_id: string;
  asker_id: string;
  asker_name: string;
  topic: string;
  text: string;
  context: string | null;
  incident_id: string | null;
  state: string;
  claimed_by: string | null;
  claimed_by_name: string | null;
  created_at: Timestamp;
  first_response_at: MaybeTimestamp;
  resolved_at: MaybeTimestamp;
  resolved_by: string | null;
  reopen_count: number;
  last_activity_at: Timestamp;
  request_key: string | null;
};

export type QuestionsTables = {
  questions: QuestionsTable;
};
