import { withNote } from '../../cards/builders/card-note.js';
import type { AskSource } from '../../cards/question-verbs.js';
import { alertCard } from '../alerts/alert-messages.js';
import { lifecycleEvents } from '../alerts/events.js';
import type { Incident } from '../domain/incident.js';
import type { Reply } from '../ports.js';
import type { AskInput } from './ask-experts.js';
import { submitQuestion } from './ask-experts.js';
import type { CustomerContext } from './context.js';
import { incidentDetailReply } from './guided-response.js';

// The Ask form drawn over its source card for the submitter alone (Teams in a channel or group chat): a
// sent question gives them back that card as it is now, with a note naming the request; a refused one
// keeps the form and tells them why. Nothing here changes what anyone else sees.

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
  const source =
    from === 'alert'
      ? alertCard(ctx.customer.name, incident, currentLine(incident), ctx.clock.now())
      : await incidentDetailReply(ctx, incident, 3, 'replace');
  const note = again
    ? `Already sent to Defender Experts as ${question.id} a moment ago — follow it in the thread.`
    : `Sent to Defender Experts as ${question.id} — follow it in the thread.`;
  const card = source.card === null ? null : withNote({ card: source.card, fallbackText: source.text }, note);
  if (card === null) return replies;
  // A request card posted in this conversation stays; the words saying where it went are now the note.
  const shared = again ? [] : replies.filter((r) => r.card !== null && r.ephemeral !== true);
  return [privately({ text: card.fallbackText, card: card.card, mode: 'replace' }), ...shared];
}

/** The alert card's "Latest" line for the incident as it stands (its thread keeps the step-by-step history). */
function currentLine(incident: Incident): string {
  return lifecycleEvents({ previous: null, current: incident }).at(-1)?.line ?? 'Defender Experts are on it.';
}
