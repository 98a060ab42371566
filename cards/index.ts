// The cards package's public surface: pure builders (domain → Adaptive Card 1.5 + fallback text), the
// verbs their buttons send, and the escaping that keeps user text inert.

export { type AwaitingSummaryInput, awaitingSummaryCard, SUMMARY_TOP } from './builders/awaiting-summary.js';
export { type ResponseConfirmInput, responseConfirmCard } from './builders/guided-response.js';
export { type HelpCommand, type HelpInput, helpCard } from './builders/help.js';
export { type IncidentAlertInput, incidentAlertCard } from './builders/incident-alert.js';
export { type IncidentDetailInput, incidentDetailCard } from './builders/incident-detail.js';
export { type IncidentListInput, incidentListCard } from './builders/incident-list.js';
export {
  type IncidentPreview,
  type IncidentPreviewInput,
  incidentPreviewCard,
  NEUTRAL_PREVIEW_TITLE,
  neutralPreviewCard,
} from './builders/incident-preview.js';
export { type IncidentSearchInput, incidentSearchCard } from './builders/incident-search.js';
export { type NoticeInput, type NoticeTone, noticeCard } from './builders/notice.js';
export {
  type AskFormInput,
  askFormCard,
  formatDuration,
  type HandoffQueueInput,
  handoffQueueCard,
  NOT_INCIDENT_RESPONSE,
  type QuestionQueueInput,
  type QuestionRequestInput,
  questionQueueCard,
  questionRequestCard,
  REOPEN_UNTHREADED,
} from './builders/question-cards.js';
export { type QuestionListInput, questionListCard } from './builders/question-list.js';
export { type RelayChoiceInput, relayChoiceCard } from './builders/relay-choice.js';
export {
  RELAY_TEXT_MAX,
  type RelayMessageInput,
  type RelayRequestInput,
  relayMessageCard,
  relayRequestCard,
} from './builders/relay-message.js';
export { type RelayPassedInput, relayPassedCard } from './builders/relay-passed.js';
export { type UnlinkedWorkspaceInput, unlinkedWorkspaceCard } from './builders/unlinked-workspace.js';
export {
  type UserCheckQuestionInput,
  type UserCheckStatusInput,
  type UserCheckTone,
  userCheckQuestionCard,
  userCheckStatusCard,
} from './builders/user-check.js';
export { type WelcomeInput, welcomeCard } from './builders/welcome.js';
export { cardLine, cardText, escapeMarkdown, plainText, safeHttpsUrl, unescapeMarkdown } from './escape.js';
export {
  expandTemplate,
  expandTemplateUncached,
  TEMPLATE_NAMES,
  type TemplateData,
  type TemplateName,
  templateParseCount,
} from './template-engine.js';
export type { AdaptiveCard, CardMessage } from './types.js';
export {
  type ActionPayload,
  isVerb,
  VERBS,
  type Verb,
} from './verbs.js';
