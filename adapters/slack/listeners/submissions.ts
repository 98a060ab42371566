import type { App, SlackViewMiddlewareArgs } from '@slack/bolt';
import type { Reply } from '../../../bot/ports.js';
import { SOURCE_REDRAW_VERBS } from '../../../cards/verbs.js';
import { ASK_MODAL, CARD_MODAL } from '../app-contract.js';
import { conversationRef, parseConversation } from '../conversation-ids.js';
import { decodeInputBlockId, gatherInputs, type StateValues } from '../render/action-codec.js';
import { ASK_FIELDS, type ModalMeta, parseMeta } from '../render/views.js';
import { originTarget, type Target } from '../transport/slack-deliver.js';
import { BUSY_TEXT } from './after-ack.js';
import { installedOf, type ListenerDeps, type Rec, rec, text } from './common.js';
import { claimDelivery, deliverSafely, type Installed, runTurn } from './slack-inbound.js';

// Modal submissions: a card modal sends its action (carried in private_metadata) with the modal's inputs;
// the Ask form becomes the core's "ask" command. The modal closes on ack(); the answer goes to where the
// modal was opened from, or to the user's DM. A view is submitted once: its id de-duplicates.

const INCIDENT_ID = /^#?[A-Za-z0-9-]{1,64}$/;

async function conversationOf(deps: ListenerDeps, installed: Installed, meta: ModalMeta, user: string) {
  if (meta.o.c !== null) {
    const { channel } = parseConversation({ platform: 'slack', id: meta.o.c });
    return conversationRef(installed.installation, channel, meta.o.t, meta.o.k);
  }
  return conversationRef(installed.installation, await deps.dmChannel(installed, user), null, 'im');
}

async function submit(
  deps: ListenerDeps,
  installed: Installed,
  body: Rec,
  input: 'card' | 'ask',
): Promise<void> {
  const view = rec(body.view);
  const user = rec(body.user);
  const userId = text(user.id);
  const viewId = text(view.id);
  if (userId === null || viewId === null) return;
  if (!(await claimDelivery(deps.store, `view:${viewId}`))) {
    deps.logger.debug({ key: `view:${viewId}` }, 'Slack interaction de-duplicated');
    return;
  }
  const meta = parseMeta(text(view.private_metadata) ?? undefined);
  const inputs = gatherInputs(rec(view.state).values as StateValues | undefined);
  let turnInput: Parameters<typeof runTurn>[1]['input'];
  if (input === 'ask') {
    const values = rec(rec(view.state).values);
    const question = (text(rec(rec(values[ASK_FIELDS.question])['dxb:in']).value) ?? '').trim();
    const incident = (text(rec(rec(values[ASK_FIELDS.incident])['dxb:in']).value) ?? '')
      .trim()
      .replace(/^#/, '');
    turnInput = {
      kind: 'message',
      text: incident === '' ? `ask ${question}` : `ask incident ${incident} ${question}`,
      attachmentCount: 0,
    };
  } else {
    if (meta.v === null) return;
    const data =
      typeof meta.d === 'object' && meta.d !== null && !Array.isArray(meta.d) ? (meta.d as Rec) : {};
    turnInput = { kind: 'action', verb: meta.v, data: { ...data, ...inputs } };
  }
  const request = {
    ...installed,
    deliveryId: `view:${viewId}`,
    user: { userId, userTeam: text(user.team_id), displayName: text(user.name) },
    conversation: await conversationOf(deps, installed, meta, userId),
    input: turnInput,
    target: originTarget(deps.api, meta.o, userId),
  };
  const redraws =
    turnInput.kind === 'action' && (SOURCE_REDRAW_VERBS as readonly string[]).includes(turnInput.verb);
  const replies = await runTurn(deps, request, false);
  await deliverSafely(
    deps,
    request,
    submitTarget(request.target, meta, userId, redraws),
    replies.map(
      // The form was the submitter's own: what replaces it is theirs alone, unless it redraws the shared card.
      (r: Reply): Reply => (r.mode === 'replace' && !redraws ? { ...r, mode: 'new', ephemeral: true } : r),
    ),
  );
}

/**
 * Where a modal's answers go: the conversation it came from, privately for the submitter's own answers; a
 * submit that redraws its source (the checklist after an edit) updates the message whose button opened it.
 */
function submitTarget(target: Target, meta: ModalMeta, user: string, redraws: boolean): Target {
  if (target.kind !== 'channel') return target;
  const source = redraws ? (meta.o.m ?? null) : null;
  return { ...target, messageTs: source, asker: { user, responseUrl: null } };
}

/** Field errors for inputs Slack could not check itself (over its length cap, a pattern), by block id. */
export function fieldErrors(meta: ModalMeta, values: StateValues | undefined): Record<string, string> {
  const errors: Record<string, string> = {};
  const checks = meta.x ?? {};
  for (const [blockId, elements] of Object.entries(values ?? {})) {
    const input = decodeInputBlockId(blockId);
    const check = input === null ? undefined : checks[input.id];
    const value = (Object.values(elements)[0]?.value ?? '').trim();
    if (check === undefined || value === '') continue;
    if (check.max !== undefined && value.length > check.max)
      errors[blockId] =
        `Keep this under ${check.max.toLocaleString('en-US')} characters (it has ${value.length.toLocaleString('en-US')}).`;
    else if (check.re !== undefined && !safeTest(check.re, value))
      errors[blockId] = check.msg ?? 'This does not look right: check the format.';
  }
  return errors;
}

/** Tests a card's own pattern; a pattern that does not compile checks nothing rather than failing. */
function safeTest(pattern: string, value: string): boolean {
  try {
    return new RegExp(pattern).test(value);
  } catch {
    return true;
  }
}

/**
 * A submission has no response_url to say "busy" through afterwards, and once acknowledged its modal is
 * gone: when its work would find no room, the modal stays open with what was typed and says so under its
 * first field. Null when there is room (or no field to say it under).
 */
function busyErrors(deps: ListenerDeps, installed: Installed, view: Rec): Record<string, string> | null {
  const first = Object.keys(rec(rec(view.state).values))[0];
  if (first === undefined || deps.admitsForm(installed.installation)) return null;
  return { [first]: BUSY_TEXT };
}

/**
 * Acks a valid submission and queues its work; when the queue has no room, the modal stays open with what
 * was typed and says so under its first field (never closed into silence).
 */
async function acceptOrKeepOpen(
  deps: ListenerDeps,
  ack: SlackViewMiddlewareArgs['ack'],
  context: Parameters<typeof installedOf>[0],
  body: Rec,
  form: 'card' | 'ask',
): Promise<void> {
  const installed = installedOf(context);
  const busy = installed === null ? null : busyErrors(deps, installed, rec(body.view));
  if (busy !== null) {
    await ack({ response_action: 'errors', errors: busy });
    return;
  }
  await ack();
  if (installed !== null)
    deps.later({
      team: installed.installation,
      kind: 'interaction',
      responseUrl: null,
      run: () => submit(deps, installed, body, form),
    });
}

/** Registers the card modal and the Ask form submissions. */
export function registerSubmissionListeners(app: App, deps: ListenerDeps): void {
  app.view(CARD_MODAL, async ({ ack, body, context }) => {
    const view = rec(rec(body).view);
    const errors = fieldErrors(
      parseMeta(text(view.private_metadata) ?? undefined),
      rec(view.state).values as StateValues | undefined,
    );
    if (Object.keys(errors).length > 0) {
      // Before ack: Slack shows each error under its field and keeps the modal open with what was typed.
      await ack({ response_action: 'errors', errors });
      return;
    }
    await acceptOrKeepOpen(deps, ack, context, rec(body), 'card');
  });

  app.view(ASK_MODAL, async ({ ack, body, context }) => {
    const values = rec(rec(rec(rec(body).view).state).values);
    const incident = (text(rec(rec(values[ASK_FIELDS.incident])['dxb:in']).value) ?? '').trim();
    if (incident !== '' && !INCIDENT_ID.test(incident)) {
      // Validation happens before ack: Slack shows the error under the field and keeps the modal open.
      await ack({
        response_action: 'errors',
        errors: { [ASK_FIELDS.incident]: 'Use an incident number, for example 42.' },
      });
      return;
    }
    await acceptOrKeepOpen(deps, ack, context, rec(body), 'ask');
  });
}
