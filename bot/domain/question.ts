// An "Ask Defender Experts" request: its topic, text and context, who asked, and its
// lifecycle open → claimed → answered → resolved (→ reopened by a follow-up), with the times that matter.

export const QUESTION_TOPICS = [
  'alertOrIncident',
  'deviceCompromise',
  'threatIntelligence',
  'notificationFollowUp',
  'other',
] as const;
export type QuestionTopic = (typeof QUESTION_TOPICS)[number];

/** How each topic reads on cards and forms. */
export const TOPIC_LABELS: Readonly<Record<QuestionTopic, string>> = {
  alertOrIncident: 'Alert or incident information',
  deviceCompromise: 'Possible device compromise',
  threatIntelligence: 'Threat intelligence',
  notificationFollowUp: 'Follow-up on a notification',
  other: 'Other',
};

export const QUESTION_STATES = ['open', 'claimed', 'answered', 'resolved', 'reopened'] as const;
export type QuestionState = (typeof QUESTION_STATES)[number];

/** States an expert still has to act on: the queue. */
export const WAITING_STATES: readonly QuestionState[] = ['open', 'claimed', 'reopened'];

export interface Question {
  readonly id: string;
  readonly customerId: string;
  /** Qualified id of the asker ("slack:U…"). */
  readonly askerId: string;
  readonly askerName: string;
  readonly topic: QuestionTopic;
  readonly text: string;
  /** What the asker added as context (device, alert, notification), if anything. */
  readonly context: string | null;
  readonly incidentId: string | null;
  readonly state: QuestionState;
  /** Qualified id and display name of the expert who claimed it. */
  readonly claimedBy: string | null;
  readonly claimedByName: string | null;
  readonly createdAt: string;
  readonly firstResponseAt: string | null;
  readonly resolvedAt: string | null;
  readonly resolvedBy: 'expert' | 'asker' | null;
  readonly reopenCount: number;
  readonly lastActivityAt: string;
}

/** Milliseconds from asking to the first expert reply, or null while unanswered. */
export const firstResponseMs = (q: Question): number | null =>
  q.firstResponseAt === null ? null : Date.parse(q.firstResponseAt) - Date.parse(q.createdAt);

/** Milliseconds from asking to resolution, or null while not resolved. */
export const timeToResolveMs = (q: Question): number | null =>
  q.resolvedAt === null ? null : Date.parse(q.resolvedAt) - Date.parse(q.createdAt);
