import { withNote } from '../../cards/builders/card-note.js';
import { noticeCard } from '../../cards/index.js';
import type { AskSource } from '../../cards/question-verbs.js';
import { alertCard } from '../alerts/alert-messages.js';
import { lifecycleEvents } from '../alerts/events.js';
import type { Incident } from '../domain/incident.js';
import type { Reply } from '../ports.js';
import { cardReply } from '../replies.js';
import type { AskInput } from './ask-experts.js';
import { submitQuestion } from './ask-experts.js';
import type { CustomerContext } from './context.js';
import { incidentDetailReply } from './guided-response.js';

// The Ask form drawn over its source card for the submitter alone (Teams in a channel or group chat): a
// sent question gives them back that card as it is now, with a note naming the request; a refused one
// keeps the form and tells them why; Cancel gives the card back with nothing sent. Nothing here changes
// what anyone else sees.

const privately = (reply: Reply): Reply => ({ ...reply, ephemeral: true });

/** The submit of a form drawn in place over `from` (the alert or incident card of the incident asked about). */
export async function askInPlace(
  ctx: CustomerContext,
  input: AskInput,
  from: AskSource,
): Promise<readonly Reply[]> {
  const { replies, question, again } = await submitQuestion(ctx, input);
  // Refused: the answer is the clicker's alone and leaves the form where it is, with what they typed.
  if (question === null) return replies.map(privately);
  const incident =
    input.incidentId === null ? null : await ctx.store.getIncident(ctx.customer.id, input.incidentId);
  if (incident === null) return replies;
  const note = again
    ? `Already sent to Defender Experts as ${question.id} a moment ago — follow it in the thread.`
    : `Sent to Defender Experts as ${question.id} — follow it in the thread.`;
  const card = await sourceWithNote(ctx, incident, from, note, 'good');
  if (card === null) return replies;
  // A request card posted in this conversation stays; the words saying where it went are now the note.
  const shared = again ? [] : replies.filter((r) => r.card !== null && r.ephemeral !== true);
  return [card, ...shared];
}

const NOT_SENT = 'Question not sent — nothing went to Defender Experts.';

/**
 * The Ask form's Cancel. Nothing is stored or sent, so a second click answers the same. A form drawn in
 * place over its source card gives the clicker that card back with a note; any other form (a message of
 * its own: Teams' personal chat, the console, Slack's fallback when no modal could open) becomes a short
 * notice in its place.
 */
export async function cancelAsk(
  ctx: CustomerContext,
  incidentId: string | null,
  from: AskSource | undefined,
): Promise<readonly Reply[]> {
  const notice = cardReply(
    noticeCard({
      title: 'Question not sent',
      text: 'Nothing went to Defender Experts. Use "Ask Defender Experts" again whenever you are ready.',
      tone: 'info',
    }),
    'replace',
  );
  if (from === undefined) return [notice];
  // Drawn over a shared card for the clicker alone: whatever replaces it is theirs alone too.
  const incident = incidentId === null ? null : await ctx.store.getIncident(ctx.customer.id, incidentId);
  const card = incident === null ? null : await sourceWithNote(ctx, incident, from, NOT_SENT, 'emphasis');
  return [card ?? privately(notice)];
}

/** The card the form was drawn over, as it is now, with a note for the clicker alone (null: no card). */
async function sourceWithNote(
  ctx: CustomerContext,
  incident: Incident,
  from: AskSource,
  note: string,
  style: 'good' | 'emphasis',
): Promise<Reply | null> {
  const source =
    from === 'alert'
      ? alertCard(ctx.customer.name, incident, currentLine(incident), ctx.clock.now())
      : await incidentDetailReply(ctx, incident, 3, 'replace');
  if (source.card === null) return null;
  const card = withNote({ card: source.card, fallbackText: source.text }, note, style);
  return privately({ text: card.fallbackText, card: card.card, mode: 'replace' });
}

/** The alert card's "Latest" line for the incident as it stands (its thread keeps the step-by-step history). */
function currentLine(incident: Incident): string {
  return lifecycleEvents({ previous: null, current: incident }).at(-1)?.line ?? 'Defender Experts are on it.';
}
