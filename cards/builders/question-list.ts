import { firstResponseMs, type Question, TOPIC_LABELS, timeToResolveMs } from '../../bot/domain/question.js';
import { LIMITS, plainLine } from '../escape.js';
import { formatAge } from '../format.js';
import type { CardMessage } from '../types.js';
import { cardMessage, md } from '../view.js';
import { formatDuration } from './question-cards.js';

// `questions`: the asker's own requests, or, for an expert, the queue across customers. One row per
// request with its state and timings; nothing but the request's own fields.

export interface QuestionListInput {
  readonly audience: 'asker' | 'expert';
  readonly questions: readonly Question[];
  /** Customer names by id (experts' view only). */
  readonly customerNames?: ReadonlyMap<string, string>;
  readonly now: Date;
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
    STATE_WORDS[q.state] + (q.claimedByName && q.state !== 'resolved' ? ` (${q.claimedByName})` : ''),
    TOPIC_LABELS[q.topic],
    ...(input.audience === 'expert'
      ? [input.customerNames?.get(q.customerId) ?? q.customerId, q.askerName]
      : []),
    `asked ${formatAge(q.createdAt, input.now)}`,
    first === null ? 'no reply yet' : `first response ${formatDuration(first)}`,
    ...(resolve === null ? [] : [`resolved in ${formatDuration(resolve)}`]),
  ].join(' · ');
}

/** The list card; an empty list says so and what to do. */
export function questionListCard(input: QuestionListInput): CardMessage {
  const expert = input.audience === 'expert';
  const title = expert ? 'Experts’ queue' : 'Your questions to Defender Experts';
  const subtitle = expert
    ? `${input.questions.length} waiting, oldest first. Reply in a request's queue thread to answer.`
    : `${input.questions.length} most recent, newest first. Follow up in each question's thread.`;
  const rows = input.questions.map((q) => {
    const headline = `${q.id} · ${plainLine(q.text, LIMITS.line)}`;
    const m = plainLine(meta(q, input), LIMITS.line);
    return { headline: md(headline), meta: md(m), plain: `${headline} — ${m}` };
  });
  const empty = expert
    ? 'Nothing in the queue.'
    : 'You have not asked anything yet. Try: ask <your question>, or the Ask Defender Experts button on an incident.';
  return cardMessage(
    'question-list',
    {
      title: md(title),
      subtitle: md(subtitle),
      rows: rows.map(({ headline, meta: m }) => ({ headline, meta: m })),
      isEmpty: rows.length === 0,
      empty: md(empty),
    },
    [title, subtitle, ...rows.map((r) => r.plain), rows.length === 0 ? empty : ''],
  );
}
