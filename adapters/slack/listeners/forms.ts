import type { Reply } from '../../../bot/ports.js';
import { FORM_VERBS } from '../../../cards/verbs.js';
import type { SlackView } from '../render/block-kit.js';
import { hasInputs } from '../render/card-inputs.js';
import { formModal, type Origin, repliesModal } from '../render/views.js';
import type { ListenerDeps } from './common.js';
import { deliverSafely, runTurn, type TurnRequest } from './slack-inbound.js';

// Buttons that answer with a form (ask, SDM contact, skip reason, check-in item) open it as a modal for the
// clicker, with the click's trigger_id, instead of drawing it over a message everyone shares. Whatever the
// core answers besides the form (a refusal, "no such incident") reaches the clicker alone as well.

/** True for a verb whose answer is a form for the clicker. */
export const opensForm = (verb: string): boolean => (FORM_VERBS as readonly string[]).includes(verb);

const isForm = (r: Reply): boolean => r.card !== null && hasInputs(r.card.body);

/** A reply turned into a new message only its asker sees. */
const privately = (r: Reply): Reply => ({ ...r, mode: 'new', ephemeral: true });

export interface FormRequest extends TurnRequest {
  /** The interaction's trigger_id: a modal can be opened only with it, once, within seconds. */
  readonly trigger: string | null;
  /** Clicked inside a modal: the form is pushed onto it. */
  readonly inModal: boolean;
  /** Where the form's answers go once it is submitted. */
  readonly origin: Origin;
}

async function openModal(deps: ListenerDeps, req: FormRequest, view: SlackView): Promise<boolean> {
  if (req.trigger === null) return false;
  const method = req.inModal ? 'views.push' : 'views.open';
  try {
    await deps.api.call(req.token, method, { trigger_id: req.trigger, view }, { retryThrottled: true });
    return true;
  } catch (error) {
    deps.logger.warn({ err: error, method }, 'Slack: form not opened as a modal; answering privately');
    return false;
  }
}

/** Runs a form button's turn and opens its answer as a modal (falling back to a private message). */
export async function openForm(deps: ListenerDeps, req: FormRequest): Promise<void> {
  const replies = await runTurn(deps, req, false);
  if (replies.length === 0) return;
  const form = replies.find(isForm);
  const rest = replies.filter((r) => r !== form);
  const view = form?.card ? formModal(form.card, req.origin) : repliesModal(rest, req.origin);
  if (await openModal(deps, req, view)) {
    if (form !== undefined && rest.length > 0)
      await deliverSafely(deps, req, req.target, rest.map(privately));
    return;
  }
  // The trigger expired (the turn took too long) or Slack refused the view: the answer, the form included,
  // still reaches the clicker alone, as an ephemeral message whose inputs work the same way.
  await deliverSafely(deps, req, req.target, replies.map(privately));
}
