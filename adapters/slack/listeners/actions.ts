import type { App } from '@slack/bolt';
import { QUESTION_VERBS } from '../../../cards/question-verbs.js';
import { ASK_BUTTON, ASK_SHORTCUT, HOME_BUTTON } from '../app-contract.js';
import { conversationRef } from '../conversation-ids.js';
import {
  ANY_ACTION_ID,
  decodeExecute,
  decodeShowCard,
  EXECUTE_ID,
  gatherInputs,
  SHOW_CARD_ID,
  type StateValues,
} from '../render/action-codec.js';
import { cardModal, NO_ORIGIN, type Origin, parseMeta } from '../render/views.js';
import { storedParts } from '../transport/continuation.js';
import type { Target } from '../transport/slack-deliver.js';
import { installedOf, type ListenerDeps, type Rec, rec, text } from './common.js';
import { openForm, opensForm } from './forms.js';
import { publishHome } from './home.js';
import { claimDelivery, type Installed, runTurn } from './slack-inbound.js';

// Clicks: a card button goes to the core as its verb and data, with the inputs of the message or modal
// merged in; the answer replaces the clicked card (chat.update, or response_url for ephemeral messages) or
// follows in its thread. ShowCard buttons open their card as a modal; Ask opens the Ask form.

interface Clicked {
  readonly installed: Installed;
  readonly body: Rec;
  readonly action: Rec;
  readonly user: string;
}

/** Where the click happened, as the place its answers go and the conversation the core sees. */
async function placeOf(
  deps: ListenerDeps,
  c: Clicked,
): Promise<{ target: Target; channel: string; threadTs: string | null; origin: Origin }> {
  const container = rec(c.body.container);
  const view = rec(c.body.view);
  const channel = text(container.channel_id) ?? text(rec(c.body.channel).id);
  if (container.type === 'message' && channel !== null) {
    const message = rec(c.body.message);
    const clickedTs = text(container.message_ts) ?? text(message.ts);
    const rootTs = text(container.thread_ts) ?? text(message.thread_ts);
    const responseUrl = text(c.body.response_url);
    const ephemeral = container.is_ephemeral === true;
    // A click on a continuation page of a long card acts on the card (its first message): a redraw updates
    // that message and its pages, instead of writing the card's head over the page that was clicked.
    const continued =
      !ephemeral &&
      clickedTs !== null &&
      rootTs !== null &&
      clickedTs !== rootTs &&
      (await storedParts(deps.store).get(c.installed.installation, channel, rootTs)).includes(clickedTs);
    const messageTs = continued ? rootTs : clickedTs;
    const inChannel = !channel.startsWith('D');
    const threadTs = rootTs ?? (inChannel ? messageTs : null);
    const origin: Origin = {
      c: `slack:${c.installed.installation}:${channel}`,
      k: null,
      t: threadTs,
      r: ephemeral ? responseUrl : null,
      m: ephemeral ? null : messageTs,
    };
    const target: Target = ephemeral
      ? { kind: 'ephemeral', responseUrl, channel, user: c.user, threadTs: rootTs }
      : { kind: 'channel', channel, threadTs, messageTs, asker: { user: c.user, responseUrl } };
    return { target, channel, threadTs: rootTs, origin };
  }
  const dm = await deps.dmChannel(c.installed, c.user);
  if (view.type === 'modal') {
    const origin = parseMeta(text(view.private_metadata) ?? undefined).o;
    return {
      target: { kind: 'modal', viewId: text(view.id) ?? '', origin, user: c.user },
      channel: dm,
      threadTs: null,
      origin,
    };
  }
  return { target: { kind: 'home', user: c.user }, channel: dm, threadTs: null, origin: NO_ORIGIN };
}

async function openView(deps: ListenerDeps, c: Clicked, view: unknown): Promise<void> {
  const inModal = rec(c.body.view).type === 'modal';
  const method = inModal ? 'views.push' : 'views.open';
  try {
    await deps.api.call(
      c.installed.token,
      method,
      { trigger_id: text(c.body.trigger_id), view },
      { retryThrottled: true },
    );
  } catch (error) {
    deps.logger.error({ err: error, method }, 'Slack: modal not opened');
  }
}

async function onClick(deps: ListenerDeps, c: Clicked): Promise<void> {
  const actionId = text(c.action.action_id) ?? '';
  const key = `act:${c.user}:${text(c.action.action_ts) ?? text(c.body.trigger_id)}:${actionId}`;
  if (!(await claimDelivery(deps.store, key))) {
    deps.logger.debug({ key }, 'Slack interaction de-duplicated');
    return;
  }
  if (actionId === HOME_BUTTON) {
    await publishHome(deps, c.installed, {
      user: c.user,
      userTeam: text(rec(c.body.user).team_id),
      deliveryId: key,
    });
    return;
  }
  const place = await placeOf(deps, c);
  const user = {
    userId: c.user,
    userTeam: text(rec(c.body.user).team_id),
    displayName: text(rec(c.body.user).name),
  };
  const conversation = conversationRef(c.installed.installation, place.channel, place.threadTs, null);
  const form = (verb: string, data: Readonly<Record<string, unknown>>) =>
    openForm(deps, {
      ...c.installed,
      deliveryId: key,
      user,
      conversation,
      input: { kind: 'action', verb, data },
      target: place.target,
      trigger: text(c.body.trigger_id),
      inModal: rec(c.body.view).type === 'modal',
      origin: place.origin,
    });
  if (actionId === ASK_BUTTON) {
    await form(QUESTION_VERBS.questionForm, { incidentId: null });
    return;
  }
  if (SHOW_CARD_ID.test(actionId)) {
    const card = decodeShowCard(text(c.action.value) ?? undefined);
    if (card !== null) await openView(deps, c, cardModal(card, place.origin, text(rec(c.action.text).text)));
    return;
  }
  if (!EXECUTE_ID.test(actionId)) return; // link buttons: Slack opened the URL; nothing to do
  const decoded = decodeExecute(actionId, text(c.action.value) ?? undefined);
  if (decoded === null) return;
  const values = (rec(c.body.state).values ?? rec(rec(c.body.view).state).values) as StateValues | undefined;
  const data = { ...decoded.data, ...gatherInputs(values) };
  if (opensForm(decoded.verb)) {
    await form(decoded.verb, data);
    return;
  }
  await runTurn(deps, {
    ...c.installed,
    deliveryId: key,
    user,
    conversation,
    input: { kind: 'action', verb: decoded.verb, data },
    target: place.target,
  });
}

/** Registers the card buttons, the adapter's own buttons and the Ask shortcut. */
export function registerActionListeners(app: App, deps: ListenerDeps): void {
  app.action(ANY_ACTION_ID, async ({ ack, body, action, context }) => {
    await ack();
    const installed = installedOf(context);
    const user = text(rec(rec(body).user).id);
    if (installed === null || user === null) return;
    deps.later({
      team: installed.installation,
      kind: 'interaction',
      responseUrl: text(rec(body).response_url),
      run: () => onClick(deps, { installed, body: rec(body), action: rec(action), user }),
    });
  });

  // Buttons of other apps or older versions of ours: acknowledged so Slack shows no error, then ignored.
  app.action(/^(?!dxb:)/, async ({ ack }) => {
    await ack();
  });

  // The shortcut opens the same Ask form as every card's "Ask Defender Experts" button, through the core,
  // so an unlinked workspace or a person without access is told why instead of getting a form.
  app.shortcut(ASK_SHORTCUT, async ({ ack, body, context }) => {
    await ack();
    const installed = installedOf(context);
    const b = rec(body);
    const trigger = text(b.trigger_id);
    const user = text(rec(b.user).id);
    if (installed === null || trigger === null || user === null) return;
    deps.later({
      team: installed.installation,
      kind: 'interaction',
      responseUrl: null,
      run: async () => {
        const key = `shortcut:${user}:${trigger}`;
        if (!(await claimDelivery(deps.store, key))) return;
        const dm = await deps.dmChannel(installed, user);
        await openForm(deps, {
          ...installed,
          deliveryId: key,
          user: {
            userId: user,
            userTeam: text(rec(b.user).team_id),
            displayName: text(rec(b.user).username),
          },
          conversation: conversationRef(installed.installation, dm, null, 'im'),
          input: { kind: 'action', verb: QUESTION_VERBS.questionForm, data: { incidentId: null } },
          target: { kind: 'dm', user },
          trigger,
          inModal: false,
          origin: NO_ORIGIN,
        });
      },
    });
  });
}
