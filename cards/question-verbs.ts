import { QUESTION_TOPICS, type QuestionTopic } from '../bot/domain/question.js';

// Ask Defender Experts verbs and their typed data, parsed like every other verb (cards/verbs.ts delegates
// here). The form's input values arrive merged into the data under the input ids in QUESTION_INPUTS.

export const QUESTION_VERBS = {
  questionForm: 'question.form',
  questionAsk: 'question.ask',
  questionClaim: 'question.claim',
  /** An expert opens one request of the queue list: its queue card, with its context and buttons. */
  questionShow: 'question.show',
  questionResolve: 'question.resolve',
  questionsList: 'questions.list',
  /** "Send to …" in a chat without threads: the sender picks the pair a message is for. */
  relayReply: 'relay.reply',
  /** Undo on "Passed on to …": withdraws a message that went to the one open request unasked. */
  relayUndo: 'relay.undo',
} as const;

export type QuestionVerb = (typeof QUESTION_VERBS)[keyof typeof QUESTION_VERBS];

/** Ids of the form's inputs (they land in the action data under these keys). */
export const QUESTION_INPUTS = {
  topic: 'qTopic',
  text: 'qText',
  context: 'qContext',
  /** Shown only when the form was not opened from an incident: the asker may name one. */
  incident: 'qIncident',
} as const;

/** Longest texts the form accepts; the flow refuses longer ones with a message (2× is parse's hard cap). */
export const QUESTION_LIMITS = { text: 4000, context: 1000 } as const;

export type QuestionFormData = { readonly incidentId: string | null };
/** The form's submit: the inputs arrive under their ids, absent when left empty; the flow checks them. */
export type QuestionAskData = {
  readonly incidentId: string | null;
  readonly qTopic?: QuestionTopic;
  readonly qText?: string;
  readonly qContext?: string;
};
export type QuestionRefData = { readonly id: string };
/** A page of the experts' queue (customers' own lists have one page). */
export type QuestionsListData = { readonly offset?: number };
/** The pair chosen and the held message (its platform id) it is for. */
export type RelayReplyData = { readonly pairId: string; readonly sourceId: string };

export type QuestionActionPayload =
  | { readonly verb: typeof QUESTION_VERBS.questionForm; readonly data: QuestionFormData }
  | { readonly verb: typeof QUESTION_VERBS.questionAsk; readonly data: QuestionAskData }
  | { readonly verb: typeof QUESTION_VERBS.questionClaim; readonly data: QuestionRefData }
  | { readonly verb: typeof QUESTION_VERBS.questionShow; readonly data: QuestionRefData }
  | { readonly verb: typeof QUESTION_VERBS.questionResolve; readonly data: QuestionRefData }
  | { readonly verb: typeof QUESTION_VERBS.questionsList; readonly data: QuestionsListData }
  | { readonly verb: typeof QUESTION_VERBS.relayReply; readonly data: RelayReplyData }
  | { readonly verb: typeof QUESTION_VERBS.relayUndo; readonly data: RelayReplyData };

/** Question ids as the store makes them ("Q-7K2M9P"). */
export const isQuestionId = (v: unknown): v is string =>
  typeof v === 'string' && /^Q-[0-9A-Z]{6,12}$/.test(v);

const INCIDENT_ID = /^[A-Za-z0-9-]{1,64}$/;

function incidentOf(v: unknown): string | null | undefined {
  if (v === undefined || v === null || v === '') return null;
  return typeof v === 'string' && INCIDENT_ID.test(v) ? v : undefined;
}

function optionalText(v: unknown, max: number): string | null | undefined {
  if (v === undefined || v === null) return null;
  if (typeof v !== 'string' || v.length > max * 2) return undefined;
  return v.trim() === '' ? null : v;
}

/** Parses one question verb's data; null when anything is malformed. */
export function parseQuestionAction(
  verb: QuestionVerb,
  d: Readonly<Record<string, unknown>>,
): QuestionActionPayload | null {
  switch (verb) {
    case QUESTION_VERBS.questionForm: {
      const incidentId = incidentOf(d.incidentId);
      return incidentId === undefined ? null : { verb, data: { incidentId } };
    }
    case QUESTION_VERBS.questionAsk: {
      // The incident the form was opened from wins; else the one typed into the form ("#42" or "42").
      const typed = d[QUESTION_INPUTS.incident];
      const incidentId =
        d.incidentId !== undefined && d.incidentId !== null && d.incidentId !== ''
          ? incidentOf(d.incidentId)
          : incidentOf(typeof typed === 'string' ? typed.trim().replace(/^#/, '') : typed);
      const topic = d[QUESTION_INPUTS.topic];
      const text = optionalText(d[QUESTION_INPUTS.text], QUESTION_LIMITS.text);
      const context = optionalText(d[QUESTION_INPUTS.context], QUESTION_LIMITS.context);
      if (incidentId === undefined || text === undefined || context === undefined) return null;
      const topicOk =
        topic === undefined ||
        topic === null ||
        topic === '' ||
        (QUESTION_TOPICS as readonly unknown[]).includes(topic);
      if (!topicOk) return null;
      return {
        verb,
        data: {
          incidentId,
          ...(typeof topic === 'string' && topic !== '' ? { qTopic: topic as QuestionTopic } : {}),
          ...(text === null ? {} : { qText: text }),
          ...(context === null ? {} : { qContext: context }),
        },
      };
    }
    case QUESTION_VERBS.questionClaim:
    case QUESTION_VERBS.questionShow:
    case QUESTION_VERBS.questionResolve:
      return isQuestionId(d.id) ? { verb, data: { id: d.id } } : null;
    case QUESTION_VERBS.questionsList: {
      const offset = d.offset;
      if (offset === undefined || offset === null) return { verb, data: {} };
      if (typeof offset !== 'number' || !Number.isInteger(offset) || offset < 0 || offset > 100_000)
        return null;
      return { verb, data: { offset } };
    }
    case QUESTION_VERBS.relayReply:
    case QUESTION_VERBS.relayUndo: {
      const { pairId, sourceId } = d;
      if (typeof pairId !== 'string' || !/^rp-[0-9a-f-]{36}$/.test(pairId)) return null;
      if (typeof sourceId !== 'string' || !/^[!-~]{1,256}$/.test(sourceId)) return null;
      return { verb, data: { pairId, sourceId } };
    }
  }
}

/** The "Ask Defender Experts" button's payload (incident and alert cards, the help card). */
export const askFormPayload = (incidentId: string | null): QuestionActionPayload => ({
  verb: QUESTION_VERBS.questionForm,
  data: { incidentId },
});
