import { z } from 'zod/v4';
import {
  ASK_SOURCES,
  type AskSource,
  QUESTION_INPUTS,
  QUESTION_LIMITS,
  QUESTION_VERBS,
} from '../../../cards/question-verbs.js';
import { askersAndExperts, CUSTOMER, customers } from '../../authz/grants.js';
import { QUESTION_TOPICS } from '../../domain/question.js';
import { askExperts, showAskForm } from '../../flows/ask-experts.js';
import { askInPlace, cancelAsk } from '../../flows/ask-in-place.js';
import { customerCtx } from '../../flows/context.js';
import { claimQuestion, listQuestions, resolveQuestion, showQuestion } from '../../flows/questions.js';
import { defineAction } from '../define.js';
import { defined, offset, optionalIncident, textInput } from '../fields.js';

// Ask Defender Experts' buttons and form. The permission table admits the roles; the flows then narrow by
// record (the asker, an admin of its customer, the queue).

/** Question ids as the store makes them ("Q-7K2M9P"). */
const questionRef = z.object({ id: z.string().regex(/^Q-[0-9A-Z]{6,12}$/) });

/** Absent or blank: none; the text itself is kept as typed (the flow trims and checks its length). */
/** The card an Ask form was opened from (absent: a typed command or the help card). */
const askSource = z.enum(ASK_SOURCES).optional();

const questionText = (max: number) =>
  textInput(max).transform((v) => (v == null || v.trim() === '' ? undefined : v));

export const questionForm = defineAction({
  verb: QUESTION_VERBS.questionForm,
  schema: z.object({ incidentId: optionalIncident, from: askSource }),
  requires: customers(),
  handle: (ctx, d) => showAskForm(customerCtx(ctx), d.incidentId, d.from),
});

export const questionAsk = defineAction({
  verb: QUESTION_VERBS.questionAsk,
  schema: z
    .object({
      incidentId: optionalIncident,
      from: askSource,
      // Set by a host that drew the form over its source card for the submitter alone (cards/question-verbs.ts).
      inPlace: z.literal(true).optional(),
      [QUESTION_INPUTS.incident]: z.unknown(),
      [QUESTION_INPUTS.topic]: z.union([z.enum(QUESTION_TOPICS), z.literal(''), z.null(), z.undefined()]),
      [QUESTION_INPUTS.text]: questionText(QUESTION_LIMITS.text),
      [QUESTION_INPUTS.context]: questionText(QUESTION_LIMITS.context),
    })
    .transform((d, ctx) => {
      // The incident the form was opened from wins; else the one typed into the form ("#42" or "42").
      const typedRaw = d[QUESTION_INPUTS.incident];
      const typed = optionalIncident.safeParse(
        typeof typedRaw === 'string' ? typedRaw.trim().replace(/^#/, '') : typedRaw,
      );
      if (d.incidentId === null && !typed.success) {
        ctx.addIssue({ code: 'custom', message: 'not an incident id', path: [QUESTION_INPUTS.incident] });
        return z.NEVER;
      }
      const topic = d[QUESTION_INPUTS.topic];
      return defined({
        incidentId: d.incidentId ?? (typed.success ? typed.data : null),
        from: d.inPlace === true ? d.from : undefined,
        qTopic: topic === '' || topic === null ? undefined : topic,
        qText: d[QUESTION_INPUTS.text],
        qContext: d[QUESTION_INPUTS.context],
      }) as {
        readonly incidentId: string | null;
        readonly from?: AskSource;
        readonly qTopic?: (typeof QUESTION_TOPICS)[number];
        readonly qText?: string;
        readonly qContext?: string;
      };
    }),
  requires: customers(),
  handle: (ctx, d) => {
    const input = {
      topic: d.qTopic ?? (d.incidentId === null ? 'other' : 'alertOrIncident'),
      text: d.qText ?? '',
      context: d.qContext ?? null,
      incidentId: d.incidentId,
    } as const;
    // A form drawn over its source card gives that card back (or keeps the form with the error).
    return d.from === undefined
      ? askExperts(customerCtx(ctx), input)
      : askInPlace(customerCtx(ctx), input, d.from);
  },
});

// Cancel on the Ask form: nothing is sent or stored, so a second click (or a retried delivery) answers the
// same. Whoever may open the form may cancel it: like its submit, it is shown only to the person who opened
// it (a Slack modal, a Teams card drawn for the clicker alone or their personal chat).
export const questionCancel = defineAction({
  verb: QUESTION_VERBS.questionCancel,
  schema: z
    .object({
      incidentId: optionalIncident,
      from: askSource,
      // Set by a host that drew the form over its source card for the clicker alone (cards/question-verbs.ts).
      inPlace: z.literal(true).optional(),
    })
    .transform((d): { readonly incidentId: string | null; readonly from?: AskSource } =>
      d.inPlace === true && d.from !== undefined
        ? { incidentId: d.incidentId, from: d.from }
        : { incidentId: d.incidentId },
    ),
  requires: customers(),
  handle: (ctx, d) => cancelAsk(customerCtx(ctx), d.incidentId, d.from),
});

// Taking a question tells the customer an expert is on it, and shows the question and its asker.
export const questionClaim = defineAction({
  verb: QUESTION_VERBS.questionClaim,
  schema: questionRef,
  requires: { who: ['expert'], scope: 'any question, one at a time' },
  handle: (ctx, d) => claimQuestion(ctx, d.id),
});

// Opening a request from the queue shows the question and its asker, like taking it.
export const questionShow = defineAction({
  verb: QUESTION_VERBS.questionShow,
  schema: questionRef,
  requires: { who: ['expert'], scope: 'any question' },
  handle: (ctx, d) => showQuestion(ctx, d.id),
});

export const questionResolve = defineAction({
  verb: QUESTION_VERBS.questionResolve,
  schema: questionRef,
  requires: {
    who: [...CUSTOMER, 'expert'],
    scope: 'the asker or an admin of its customer; an expert: any question',
  },
  handle: (ctx, d) => resolveQuestion(ctx, d.id),
});

export const questionsList = defineAction({
  verb: QUESTION_VERBS.questionsList,
  schema: z
    .object({ offset: offset(100_000).nullish() })
    .transform((d) => (d.offset == null ? {} : { offset: d.offset }) as { readonly offset?: number }),
  requires: askersAndExperts,
  // A page of the experts' queue replaces the card it was asked from.
  handle: (ctx, d) => listQuestions(ctx, d.offset === undefined ? 'new' : 'replace', d.offset ?? 0),
});
