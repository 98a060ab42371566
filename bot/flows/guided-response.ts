import { incidentDetailCard, noticeCard, responseConfirmCard } from '../../cards/index.js';
import type { ResponseActionData, ResponseSkipData } from '../../cards/verbs.js';
import { MAX_REASON_LENGTH } from '../../cards/verbs.js';
import type { Incident } from '../domain/incident.js';
import { isUnrecognised } from '../domain/tolerant.js';
import type { Reply } from '../ports.js';
import { cardReply, textReply } from '../replies.js';
import { DESTRUCTIVE_KINDS } from '../response/rules.js';
import type { DecideArgs, Outcome, ResponseService } from '../response/service.js';
import { personName } from '../response/state.js';
import type { CustomerContext } from './context.js';
import { findIncident } from './incident-lookup.js';

// Guided response from chat: the incident card's action buttons — "I've completed this action",
// "Skip" (with a reason) and "Run" (after a confirmation naming the target). Whether a click may apply is
// decided again here for the clicking person; a refusal is shown to that person only.

/** Only the clicker sees it: refusals, confirmations, "already done". */
const privately = (reply: Reply): Reply => ({ ...reply, ephemeral: true });

const notFound = (ctx: CustomerContext, id: string): Reply =>
  privately(
    cardReply(
      noticeCard({
        title: 'Incident not found',
        text: `I can't find incident ${id} for ${ctx.customer.name}. Check the id, or send "incidents all" to list them.`,
        tone: 'warning',
      }),
    ),
  );

async function load(ctx: CustomerContext, id: string): Promise<Incident | null> {
  const incident = await findIncident(ctx, id);
  return incident === 'limited' ? null : incident;
}

/**
 * The incident card for this viewer: the bot's records laid over the actions and the buttons this person
 * may use. incident-status.ts uses it too, so every way to the card shows the same state.
 */
export async function incidentDetailReply(
  ctx: CustomerContext,
  incident: Incident,
  commentsShown: number,
  mode: Reply['mode'],
): Promise<Reply> {
  const now = ctx.clock.now();
  if (ctx.response === undefined)
    return cardReply(incidentDetailCard({ incident, commentsShown, now }), mode);
  const shown = await ctx.response.present(incident);
  const controls = ctx.response.controls(ctx.actor, ctx.customer, shown.incident, shown.records);
  return cardReply(incidentDetailCard({ incident: shown.incident, commentsShown, now, controls }), mode);
}

const refused = (reason: string): Reply => privately(textReply(`Not done: ${reason}`));

async function answer(ctx: CustomerContext, incident: Incident, outcome: Outcome): Promise<readonly Reply[]> {
  const fresh = (await load(ctx, incident.id)) ?? incident;
  const card = await incidentDetailReply(ctx, fresh, 3, 'replace');
  switch (outcome.kind) {
    case 'done':
      return [card];
    case 'refused':
      return [refused(outcome.reason)];
    case 'stale':
      return [
        privately(card),
        privately(
          textReply(
            'Someone already acted on that action (or the click arrived twice): this is its current state.',
          ),
        ),
      ];
    case 'failed':
      return [card, privately(textReply(`The run failed: ${outcome.reason}`))];
  }
}

type Step = 'confirm-run' | 'skip-form';

/** "Run" or "Skip": the confirmation card naming the target, shown to the clicker only. */
async function ask(ctx: CustomerContext, data: ResponseActionData, step: Step): Promise<readonly Reply[]> {
  const response = ctx.response;
  const incident = await load(ctx, data.id);
  if (incident === null) return [notFound(ctx, data.id)];
  if (response === undefined) return [refused('guided response is not available here.')];
  const shown = await response.present(incident);
  const action = shown.incident.guidedResponse?.actions.find((a) => a.id === data.action);
  if (action === undefined) return [refused('that action is not on this incident.')];
  const decision = step === 'confirm-run' ? 'run' : 'skip';
  const allowed = response.permission(ctx.actor, ctx.customer, action, decision);
  const version = shown.records.find((r) => r.actionId === action.id)?.version ?? 0;
  if (!allowed.allowed && (allowed.code === 'role' || version === data.v)) {
    return answer(ctx, incident, { kind: 'refused', reason: allowed.reason });
  }
  if (version !== data.v) return answer(ctx, incident, { kind: 'stale' });
  const run = step === 'confirm-run';
  const operator = ctx.customer.expertsAccess === 'operator';
  const card = responseConfirmCard({
    incident: shown.incident,
    action,
    mode: run ? 'run' : 'skip',
    version,
    recordedAs: `${personName(ctx.actor.principal)} (${ctx.actor.qualifiedId})`,
    runsWith: run
      ? `The bot's app registration in ${ctx.customer.name}'s tenant${operator ? ' (operator access: recorded as yours, not as Defender Experts)' : ''}`
      : null,
    confirmation: run
      ? await response.issueConfirmation(ctx.actor, ctx.customer, incident.id, action.id, version)
      : null,
    destructive: !isUnrecognised(action.kind) && DESTRUCTIVE_KINDS.has(action.kind),
    simulated: response.deps.executor?.simulated === true,
  });
  return [privately(cardReply(card, 'replace'))];
}

/**
 * A click that decides: the incident is loaded again and the service is asked, for this person, about the
 * action and version the card showed; `act` adds what the decision itself needs.
 */
async function decideOn(
  ctx: CustomerContext,
  data: ResponseActionData,
  act: (response: ResponseService, args: DecideArgs) => Promise<Outcome>,
): Promise<readonly Reply[]> {
  const incident = await load(ctx, data.id);
  if (incident === null) return [notFound(ctx, data.id)];
  if (ctx.response === undefined) return [refused('guided response is not available here.')];
  const args = { actor: ctx.actor, customer: ctx.customer, incident, actionId: data.action, version: data.v };
  return answer(ctx, incident, await act(ctx.response, args));
}

/** "I've completed this action". */
export const completeAction = (ctx: CustomerContext, data: ResponseActionData) =>
  decideOn(ctx, data, (response, args) => response.decide({ ...args, decision: 'complete' }));

/** "Skip": the form asking why. */
export const askSkip = (ctx: CustomerContext, data: ResponseActionData) => ask(ctx, data, 'skip-form');

/** The skip form's "Skip this action", with its reason. */
export async function confirmSkip(ctx: CustomerContext, data: ResponseSkipData): Promise<readonly Reply[]> {
  const reason = (data.reason ?? '').trim();
  if (reason === '')
    return [refused('say why the action is skipped (the reason goes into the incident’s comments).')];
  if (reason.length > MAX_REASON_LENGTH) {
    return [refused(`keep the reason under ${MAX_REASON_LENGTH} characters (yours had ${reason.length}).`)];
  }
  return decideOn(ctx, data, (response, args) =>
    response.decide({ ...args, decision: 'skip', note: reason }),
  );
}

/** "Run": the confirmation naming the target. */
export const askRun = (ctx: CustomerContext, data: ResponseActionData) => ask(ctx, data, 'confirm-run');

/** The confirmation's button: the run starts (only with the token the confirmation card carries). */
export const confirmRun = (ctx: CustomerContext, data: ResponseActionData) =>
  decideOn(ctx, data, (response, args) => response.run({ ...args, confirmation: data.c ?? null }));

/** "Cancel" on a confirmation: back to the incident, nothing sent or recorded. */
export async function cancelAction(
  ctx: CustomerContext,
  data: ResponseActionData,
): Promise<readonly Reply[]> {
  const incident = await load(ctx, data.id);
  if (incident === null) return [notFound(ctx, data.id)];
  return [privately(await incidentDetailReply(ctx, incident, 3, 'replace'))];
}
