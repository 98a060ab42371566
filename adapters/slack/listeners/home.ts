import type { App } from '@slack/bolt';
import type { Reply } from '../../../bot/ports.js';
import { conversationRef } from '../conversation-ids.js';
import { claimDelivery, type Installed, runTurn } from '../inbound.js';
import { homeView } from '../views.js';
import { installedOf, type ListenerDeps, rec, text } from './common.js';

// The App Home tab: when a user opens it, the core is asked for the "Defender Experts" summary and the
// open incidents as that user (the same turns as typing "summary" and "incidents"), and the answers are
// published as the user's Home view. An unlinked workspace sees how to link it, once.

export interface HomeRequest {
  readonly user: string;
  readonly userTeam: string | null;
  /** Base delivery id; the two turns append ":summary" and ":incidents". */
  readonly deliveryId: string;
  /** The DM channel, when the event named it. */
  readonly channel?: string | null;
}

/** Asks the core for the summary and the incidents as this user and publishes the Home view. */
export async function publishHome(deps: ListenerDeps, installed: Installed, req: HomeRequest): Promise<void> {
  const channel = req.channel ?? (await deps.dmChannel(installed, req.user));
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
  const incidents = await ask('incidents', 'incidents');
  // An unlinked workspace (or a failure) answers both turns alike: show it once.
  const seen = new Set(summary.map((r) => JSON.stringify(r)));
  const replies = [...summary, ...incidents.filter((r) => !seen.has(JSON.stringify(r)))];
  try {
    await deps.api.call(
      installed.token,
      'views.publish',
      { user_id: req.user, view: homeView(replies, false) },
      { retryThrottled: true },
    );
  } catch (error) {
    deps.logger.error({ err: error }, 'Slack: Home tab not published');
  }
}

/** Registers app_home_opened. */
export function registerHomeListener(app: App, deps: ListenerDeps): void {
  app.event('app_home_opened', async ({ event, body, context }) => {
    const e = rec(event);
    const installed = installedOf(context);
    const user = text(e.user);
    const eventId = text(rec(body).event_id);
    if (e.tab !== 'home' || installed === null || user === null || eventId === null) return;
    await deps.track(
      (async () => {
        if (!(await claimDelivery(deps.store, `event:${eventId}`))) {
          deps.logger.debug({ eventId, retry: context.retryNum }, 'Slack retry de-duplicated');
          return;
        }
        await publishHome(deps, installed, {
          user,
          userTeam: null,
          deliveryId: eventId,
          channel: text(e.channel),
        });
      })(),
    );
  });
}
