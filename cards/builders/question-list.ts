import { firstResponseMs, type Question, TOPIC_LABELS, timeToResolveMs } from '../../bot/domain/question.js';
import { LIMITS, plainLine } from '../escape.js';
import { formatAge } from '../format.js';
import { QUESTION_VERBS } from '../question-verbs.js';
import type { TemplateValue } from '../template-engine.js';
import type { CardMessage } from '../types.js';
import { cardMessage, execute, md } from '../view.js';
import { formatDuration } from './question-cards.js';

// `questions`: the asker's own requests, or, for an expert, the queue across customers. One row per
// request with its state and timings; nothing but the request's own fields.

export interface QuestionListInput {
  readonly audience: 'asker' | 'expert';
  readonly questions: readonly Question[];
  /** Customer names by id (experts' view only). */
  readonly customerNames?: ReadonlyMap<string, string>;
  readonly now: Date;
  /** Experts' view: how many requests the queue holds in all, and where this page starts. */
  readonly total?: number;
  readonly offset?: number;
}

const STATE_WORDS: Readonly<Record<Question['state'], string>> = {
  open: 'Open',
  claimed: 'Claimed',
  answered: 'Answered',
  resolved: 'Resolved',
  reopened: 'Reopened',
};

function meta(q: Question, input: QuestionListInput): string {
  const first = firstResponseMs(q);
  const resolve = timeToResolveMs(q);
  return [
    // Customers never see an expert's name: only the experts' own view says who has a request.
    STATE_WORDS[q.state] +
      (input.audience === 'expert' && q.claimedByName && q.state !== 'resolved'
        ? ` (${q.claimedByName})`
        : ''),
    TOPIC_LABELS[q.topic],
    ...(input.audience === 'expert'
      ? [input.customerNames?.get(q.customerId) ?? q.customerId, q.askerName]
      : []),
    `asked ${formatAge(q.createdAt, input.now)}`,
    first === null ? 'no reply yet' : `first response ${formatDuration(first)}`,
    ...(resolve === null ? [] : [`resolved in ${formatDuration(resolve)}`]),
  ].join(' · ');
}

/** How many requests one page of the experts' queue shows. */
export const PAGE = 20;

/** The list card; an empty list says so and what to do. */
export function questionListCard(input: QuestionListInput): CardMessage {
  const expert = input.audience === 'expert';
  const title = expert ? 'Experts’ queue' : 'Your questions to Defender Experts';
  const offset = input.offset ?? 0;
  const total = input.total ?? offset + input.questions.length;
  const shown = input.questions.length;
  const range = shown === 0 ? '' : ` · showing ${offset + 1}–${offset + shown}`;
  const subtitle = expert
    ? `${total} open, claimed or answered${range}, oldest first. Reply in a request's queue thread to answer.`
    : `${shown} most recent, newest first. Follow up on each question where you asked it.`;
  const actions: TemplateValue[] = [];
  if (expert && offset > 0)
    actions.push(
      execute('Previous', {
        verb: QUESTION_VERBS.questionsList,
        data: { offset: Math.max(0, offset - PAGE) },
      }),
    );
  if (expert && offset + shown < total)
    actions.push(execute('Next', { verb: QUESTION_VERBS.questionsList, data: { offset: offset + shown } }));
  const rows = input.questions.map((q) => {
    const headline = `${q.id} · ${plainLine(q.text, LIMITS.line)}`;
    const m = plainLine(meta(q, input), LIMITS.line);
    // The experts work from the list: Claim what nobody has, Open any request's card.
    const buttons: TemplateValue[] = expert
      ? [
          ...(q.state === 'open' || q.state === 'reopened'
            ? [execute(`Claim ${q.id}`, { verb: QUESTION_VERBS.questionClaim, data: { id: q.id } })]
            : []),
          execute(`Open ${q.id}`, { verb: QUESTION_VERBS.questionShow, data: { id: q.id } }),
        ]
      : [];
    return { headline: md(headline), meta: md(m), plain: `${headline} — ${m}`, buttons };
  });
  const empty = expert
    ? 'Nothing in the queue.'
    : 'You have not asked anything yet. Try: ask <your question>, or the Ask Defender Experts button on an incident.';
  return cardMessage(
    'question-list',
    {
      title: md(title),
      subtitle: md(subtitle),
      rows: rows.map(({ headline, meta: m, buttons }) => ({
        headline,
        meta: m,
        hasButtons: buttons.length > 0,
        buttons,
      })),
      isEmpty: rows.length === 0,
      actions,
      empty: md(empty),
    },
    [title, subtitle, ...rows.map((r) => r.plain), rows.length === 0 ? empty : ''],
  );
}
