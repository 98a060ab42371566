import { QUESTION_TOPICS, type Question, type QuestionTopic } from '../../bot/domain/question.js';

// The questions table's row shape and its mapping to the port's type, shared by the SQLite and the PostgreSQL
// store (both write the same columns).

/** One row of the questions table. */
export interface Row {
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
  created_at: string;
  first_response_at: string | null;
  resolved_at: string | null;
  resolved_by: string | null;
  reopen_count: number;
  last_activity_at: string;
}

/** A row as the port's Question; an unknown topic reads as 'other'. */
export const toQuestion = (r: Row): Question => ({
  id: r.id,
  customerId: r.customer_id,
  askerId: r.asker_id,
  askerName: r.asker_name,
  topic: (QUESTION_TOPICS as readonly string[]).includes(r.topic) ? (r.topic as QuestionTopic) : 'other',
  text: r.text,
  context: r.context,
  incidentId: r.incident_id,
  state: r.state as Question['state'],
  claimedBy: r.claimed_by,
  claimedByName: r.claimed_by_name,
  createdAt: r.created_at,
  firstResponseAt: r.first_response_at,
  resolvedAt: r.resolved_at,
  resolvedBy: r.resolved_by === 'expert' || r.resolved_by === 'asker' ? r.resolved_by : null,
  reopenCount: r.reopen_count,
  lastActivityAt: r.last_activity_at,
});

/** The patchable fields and their columns (the only names that ever reach the SQL text). */
export const COLUMNS: Readonly<Record<string, string>> = {
  state: 'state',
  claimedBy: 'claimed_by',
  claimedByName: 'claimed_by_name',
  firstResponseAt: 'first_response_at',
  resolvedAt: 'resolved_at',
  resolvedBy: 'resolved_by',
  reopenCount: 'reopen_count',
  lastActivityAt: 'last_activity_at',
};
