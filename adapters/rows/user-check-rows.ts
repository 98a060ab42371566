import type { Platform } from '../../bot/domain/actor.js';
import type { ConversationRef } from '../../bot/domain/conversation.js';
import {
  type PersonAddress,
  USER_CHECK_ANSWERS,
  type UserCheck,
  type UserCheckAnswer,
} from '../../bot/domain/user-check.js';
import type { UserCheckDraft } from '../../bot/user-check/user-check-ports.js';

// The user_checks table ("Was this you?"): its columns, the schema both backends create, and the mapping to
// the port's type, shared by the SQLite and the PostgreSQL store so the two cannot drift. The schema is
// plain SQL both dialects accept (text columns, a partial unique index for "one open question per person").

/** One row of user_checks. */
export interface Row {
  id: string;
  customer_id: string;
  incident_id: string;
  upn: string;
  upn_key: string;
  platform: string;
  target_user_id: string | null;
  dm: string | null;
  dm_message_id: string | null;
  seen: string;
  requester_id: string;
  requester: string;
  state: string;
  answer: string | null;
  note: string | null;
  answered_at: string | null;
  reason: string | null;
  created_at: string;
  reminded_at: string | null;
  escalated_at: string | null;
  comment: string;
  comment_attempts: number | string;
}

/** Version 1 of module 'user_checks' (same text on both backends). */
export const USER_CHECKS_V1 = `
  CREATE TABLE user_checks (
    id               text NOT NULL PRIMARY KEY,
    customer_id      text NOT NULL,
    incident_id      text NOT NULL,
    upn              text NOT NULL,
    upn_key          text NOT NULL,
    platform         text NOT NULL,
    target_user_id   text,
    dm               text,
    dm_message_id    text,
    seen             text NOT NULL,
    requester_id     text NOT NULL,
    requester        text NOT NULL,
    state            text NOT NULL,
    answer           text,
    note             text,
    answered_at      text,
    reason           text,
    created_at       text NOT NULL,
    reminded_at      text,
    escalated_at     text,
    comment          text NOT NULL DEFAULT 'none',
    comment_attempts integer NOT NULL DEFAULT 0
  );
  CREATE UNIQUE INDEX user_checks_open ON user_checks (customer_id, incident_id, upn_key) WHERE state = 'asked';
  CREATE INDEX user_checks_incident ON user_checks (customer_id, incident_id);
  CREATE INDEX user_checks_asked ON user_checks (state, created_at);
  CREATE INDEX user_checks_comment ON user_checks (comment, answered_at);`;

/** Insert parameters, in column order (the stores add their own placeholders). */
export const INSERT_COLUMNS = [
  'id',
  'customer_id',
  'incident_id',
  'upn',
  'upn_key',
  'platform',
  'target_user_id',
  'dm',
  'seen',
  'requester_id',
  'requester',
  'state',
  'created_at',
] as const;

/** A draft as insert parameters (INSERT_COLUMNS order). */
export const draftParams = (d: UserCheckDraft): unknown[] => [
  d.id,
  d.customerId,
  d.incidentId,
  d.upn,
  d.upn.toLowerCase(),
  d.platform,
  d.targetUserId,
  d.dm === null ? null : JSON.stringify(d.dm),
  d.seen,
  d.requesterId,
  JSON.stringify(d.requester),
  'asked',
  d.createdAt,
];

const answerOf = (v: string | null): UserCheckAnswer | null =>
  v !== null && (USER_CHECK_ANSWERS as readonly string[]).includes(v) ? (v as UserCheckAnswer) : null;

/** A row as the port's UserCheck. */
export const toUserCheck = (r: Row): UserCheck => ({
  id: r.id,
  customerId: r.customer_id,
  incidentId: r.incident_id,
  upn: r.upn,
  platform: r.platform as Platform,
  targetUserId: r.target_user_id,
  dm: r.dm === null ? null : (JSON.parse(r.dm) as ConversationRef),
  dmMessageId: r.dm_message_id,
  seen: r.seen,
  requesterId: r.requester_id,
  requester: JSON.parse(r.requester) as PersonAddress,
  state: r.state as UserCheck['state'],
  answer: answerOf(r.answer),
  note: r.note,
  answeredAt: r.answered_at,
  reason: r.reason,
  createdAt: r.created_at,
  remindedAt: r.reminded_at,
  escalatedAt: r.escalated_at,
  comment: r.comment as UserCheck['comment'],
  commentAttempts: Number(r.comment_attempts),
});
