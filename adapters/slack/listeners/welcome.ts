import type { Reply } from '../../../bot/ports.js';
import { conversationRef } from '../conversation-ids.js';
import type { Target } from '../transport/slack-deliver.js';
import type { ListenerDeps } from './common.js';
import { deliverSafely, type Installed, runTurn } from './slack-inbound.js';

// The welcome a person gets the first time they open the app's Messages tab: a greeting and the core's
// own help for them (what they can ask, or, for a workspace no customer owns, how to link it). Once per
// person and installation, remembered in the store, so neither a restart nor another replica repeats it.

/** Long enough to mean "once": the claim outlives any installation. */
const WELCOME_RETAIN_SECONDS = 20 * 365 * 24 * 3600;

export const WELCOME_TEXT =
  'Welcome to Defender Experts for XDR. Here you follow the incidents the Defender Experts hand to your team, ask the experts questions and get their answers. The Home tab shows your summary; type help here at any time.';

/** Posts the welcome into the user's DM with the app, the first time only. */
export async function welcome(
  deps: ListenerDeps,
  installed: Installed,
  user: string,
  channel: string | null,
  eventId: string,
): Promise<void> {
  if (
    !(await deps.store.claimOnce(`slack:welcome:${installed.installation}:${user}`, WELCOME_RETAIN_SECONDS))
  ) {
    deps.logger.debug({ user }, 'Slack: welcome already sent');
    return;
  }
  const dm = channel ?? (await deps.dmChannel(installed, user));
  const target: Target = { kind: 'channel', channel: dm, threadTs: null, messageTs: null };
  const help = await runTurn(
    deps,
    {
      ...installed,
      deliveryId: `welcome:${eventId}`,
      user: { userId: user, userTeam: null, displayName: null },
      conversation: conversationRef(installed.installation, dm, null, 'im'),
      input: { kind: 'message', text: 'help', attachmentCount: 0 },
      target,
    },
    false,
  );
  const greeting: Reply = { text: WELCOME_TEXT, card: null, mode: 'new' };
  await deliverSafely(deps, installed, target, [greeting, ...help]);
}
