import type { Incident } from '../../../bot/domain/incident.js';
import type { Question } from '../../../bot/domain/question.js';
import {
  askFormCard,
  handoffQueueCard,
  questionListCard,
  questionQueueCard,
  questionRequestCard,
  relayChoiceCard,
  relayMessageCard,
  relayRequestCard,
} from '../../../cards/index.js';
import type { CardMessage } from '../../../cards/types.js';

// Ask Defender Experts cards for the shared fixtures (schema, fallback, verbs, injection, snapshots): every
// state of a request, the queue and handoff cards, the form, the lists, and relayed messages.

/** A question in a given state, with hostile text where a person typed. */
export function sampleQuestion(hostile: string, overrides: Partial<Question> = {}): Question {
  return {
    id: 'Q-7K2M9P',
    customerId: 'contoso',
    askerId: 'slack:U0ALICE',
    askerName: `Alice ${hostile}`,
    topic: 'deviceCompromise',
    text: `Is WS-FIN-042 compromised? ${hostile}`,
    context: `Seen in alert 17: ${hostile}`,
    incidentId: '42',
    state: 'open',
    claimedBy: null,
    claimedByName: null,
    createdAt: '2026-11-20T08:00:00.000Z',
    firstResponseAt: null,
    resolvedAt: null,
    resolvedBy: null,
    reopenCount: 0,
    lastActivityAt: '2026-11-20T08:00:00.000Z',
    ...overrides,
  };
}

/** Every question card variant, named "question/…" and "relay/…". */
export function questionCards(incident: Incident, hostile: string, now: Date): [string, CardMessage][] {
  const q = sampleQuestion(hostile);
  const states: Record<string, Question> = {
    open: q,
    claimed: { ...q, state: 'claimed', claimedBy: 'slack:U0EXPERT1', claimedByName: `Eve ${hostile}` },
    answered: { ...q, state: 'answered', firstResponseAt: '2026-11-20T09:15:00.000Z' },
    resolved: {
      ...q,
      state: 'resolved',
      firstResponseAt: '2026-11-20T09:15:00.000Z',
      resolvedAt: '2026-11-21T10:00:00.000Z',
      resolvedBy: 'expert',
    },
    reopened: { ...q, state: 'reopened', reopenCount: 1 },
    plain: { ...q, incidentId: null, context: null, topic: 'other', text: 'Short question' },
  };
  const cards: [string, CardMessage][] = [];
  for (const [name, question] of Object.entries(states)) {
    cards.push([`question/request-${name}`, questionRequestCard({ question, now })]);
    cards.push([
      `question/queue-${name}`,
      questionQueueCard({ question, customerName: `Contoso ${hostile}`, incident, now }),
    ]);
  }
  cards.push([
    'question/queue-no-incident',
    questionQueueCard({ question: q, customerName: 'Contoso', incident: null, now }),
  ]);
  cards.push(['question/handoff', handoffQueueCard({ customerName: hostile, incident, now })]);
  cards.push(['question/form', askFormCard({ incident: null })]);
  cards.push(['question/form-incident', askFormCard({ incident })]);
  cards.push([
    'question/list-mine',
    questionListCard({ audience: 'asker', questions: Object.values(states), now }),
  ]);
  cards.push(['question/list-empty', questionListCard({ audience: 'asker', questions: [], now })]);
  cards.push([
    'question/list-queue',
    questionListCard({
      audience: 'expert',
      questions: Object.values(states),
      customerNames: new Map([['contoso', hostile]]),
      now,
    }),
  ]);
  cards.push(['relay/new', relayMessageCard({ from: 'Defender Experts', text: hostile, change: 'new' })]);
  cards.push([
    'relay/edited-with-note',
    relayMessageCard({
      from: `Contoso · ${hostile}`,
      text: hostile,
      change: 'edited',
      note: 'Attachments were not passed on',
    }),
  ]);
  cards.push([
    'relay/removed',
    relayMessageCard({ from: 'Defender Experts', text: hostile, change: 'removed' }),
  ]);
  cards.push([
    'relay/long',
    relayMessageCard({ from: 'Defender Experts', text: 'x'.repeat(9000), change: 'new' }),
  ]);
  cards.push([
    'relay/choice',
    relayChoiceCard({
      title: 'You have several open conversations here. Which one is this for?',
      text: hostile,
      sourceId: '1700000000.000100',
      choices: [
        {
          pairId: 'rp-00000000-0000-4000-8000-000000000001',
          who: 'Contoso Ltd',
          about: `Escalation (high) · ${hostile}`,
        },
        { pairId: 'rp-00000000-0000-4000-8000-000000000002', who: 'Woodgrove Bank', about: '' },
      ],
    }),
  ]);
  cards.push([
    'relay/request',
    relayRequestCard({
      title: `Escalation (high) from ${hostile}`,
      text: `${hostile}\n\nReply here.`,
      tone: 'error',
    }),
  ]);
  return cards;
}
