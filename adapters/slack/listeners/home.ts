import type { App } from '@slack/bolt';
import { resolveActor } from '../../../bot/authz/resolve-actor.js';
import type { Reply } from '../../../bot/ports.js';
import { conversationRef } from '../conversation-ids.js';
import { homeView } from '../render/views.js';
import { installedOf, type ListenerDeps, laterOnce, rec, text } from './common.js';
import { type Installed, runTurn } from './slack-inbound.js';
import { welcome } from './welcome.js';

// The App Home tab: when a user opens it, the core is asked for the "Defender Experts" summary and the
// open incidents as that user (the same turns as typing "summary" and "incidents"), and the answers are
// published as the user's Home view. An unlinked workspace sees how to link it, once, and nothing else.

export interface HomeRequest {
  readonly user: string;
  readonly userTeam: string | null;
  /** Base delivery id; the two turns append ":summary" and ":incidents". */
  readonly deliveryId: string;
  /** The DM channel, when the event named it. */
  readonly channel?: string | null;
}

/** Whether the user's own workspace is one the customers file links (false when it cannot be told). */
async function isLinked(deps: ListenerDeps, installed: Installed, user: string, team: string | null) {
  try {
    const principal = await deps.identity.principal({
      userId: user,
      userTeam: team,
      displayName: null,
      token: installed.token,
    });
    return resolveActor(deps.directory, principal).linked;
  } catch {
    return false;
  }
}

/** Asks the core for the summary and the incidents as this user and publishes the Home view. */
export async function publishHome(deps: ListenerDeps, installed: Installed, req: HomeRequest): Promise<void> {
  const channel = req.channel ?? (await deps.dmChannel(installed, req.user));
  const linked = await isLinked(deps, installed, req.user, req.userTeam);
  const ask = (text: string, suffix: string): Promise<readonly Reply[]> =>
    runTurn(
      deps,
      {
        ...installed,
        deliveryId: `${req.deliveryId}:${suffix}`,
        user: { userId: req.user, userTeam: req.userTeam, displayName: null },
        conversation: conversationRef(installed.installation, channel, null, 'im'),
        input: { kind: 'message', text, attachmentCount: 0 },
        target: { kind: 'home', user: req.user },
      },
      false,
    );
  const summary = await ask('summary', 'summary');
  // An unlinked workspace is told how to link it, once, and offered nothing else.
  const incidents = linked ? await ask('incidents', 'incidents') : [];
  // An unlinked workspace (or a failure) answers both turns alike: show it once.
  const seen = new Set(summary.map((r) => JSON.stringify(r)));
  const replies = [...summary, ...incidents.filter((r) => !seen.has(JSON.stringify(r)))];
  try {
    await deps.api.call(
      installed.token,
      'views.publish',
      { user_id: req.user, view: homeView(replies, false, linked) },
      { retryThrottled: true },
    );
  } catch (error) {
    deps.logger.error({ err: error }, 'Slack: Home tab not published');
  }
}

/** Registers app_home_opened: the Home tab is drawn; the Messages tab, opened first, gets a welcome. */
export function registerHomeListener(app: App, deps: ListenerDeps): void {
  app.event('app_home_opened', async ({ event, body, context }) => {
    const e = rec(event);
    const installed = installedOf(context);
    const user = text(e.user);
    const eventId = text(rec(body).event_id);
    if (installed === null || user === null || eventId === null) return;
    if (e.tab === 'messages') {
      deps.later({
        team: installed.installation,
        kind: 'event',
        responseUrl: null,
        run: () => welcome(deps, installed, user, text(e.channel), eventId),
      });
      return;
    }
    if (e.tab !== 'home') return;
    laterOnce(deps, installed, { id: eventId, retryNum: context.retryNum }, async () => {
      await publishHome(deps, installed, {
        user,
        userTeam: null,
        deliveryId: eventId,
        channel: text(e.channel),
      });
    });
  });
}
