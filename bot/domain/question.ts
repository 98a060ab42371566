// An "Ask Defender Experts" request (DESIGN §3.3). The flow lands with its issue; the shape is fixed here so
// stores and cards agree on it.

export const QUESTION_TOPICS = [
  'alertOrIncident',
  'deviceCompromise',
  'threatIntelligence',
  'notificationFollowUp',
  'other',
] as const;
export type QuestionTopic = (typeof QUESTION_TOPICS)[number];

export const QUESTION_STATES = ['open', 'claimed', 'answered', 'resolved'] as const;
export type QuestionState = (typeof QUESTION_STATES)[number];

export interface Question {
  readonly id: string;
  readonly customerId: string;
  readonly askerId: string;
  readonly topic: QuestionTopic;
  readonly text: string;
  readonly incidentId: string | null;
  readonly state: QuestionState;
  readonly claimedBy: string | null;
  readonly createdAt: string;
  readonly firstResponseAt: string | null;
  readonly resolvedAt: string | null;
}
