import type { App } from '@slack/bolt';
import type { AudienceFacts } from '../../../bot/audience.js';
import { createIncidentLinks, type IncidentLinks } from '../../../bot/links/incident-links.js';
import { DEFENDER_PORTAL_HOST } from '../../../bot/links/incident-url.js';
import { isTs } from '../conversation-ids.js';
import { renderCard } from '../render/render-card.js';
import { installedOf, type ListenerDeps, rec, text } from './common.js';
import { claimDelivery } from './slack-inbound.js';

// Link unfurling: a Microsoft Defender portal link posted in Slack (link_shared) is previewed with
// chat.unfurl. The core decides what the preview shows (bot/links): the sharer's own customer's incident,
// and only where every organisation in the channel may read it; otherwise the same neutral preview for
// every case. A link typed in the composer is left alone: where it will be posted is not known yet, and
// the posted message brings its own link_shared event.

/** Most links previewed per message; Slack sends every matching link, a message can hold many. */
const MAX_LINKS = 5;
const CHANNEL_ID = /^[CDG][A-Z0-9]{2,}$/;

/** The portal links of a link_shared event, de-duplicated, at most a few. */
export function sharedLinks(links: unknown): readonly string[] {
  const urls = (Array.isArray(links) ? links : [])
    .map((l) => rec(l))
    .filter((l) => l.domain === DEFENDER_PORTAL_HOST)
    .map((l) => text(l.url))
    .filter((u): u is string => u !== null);
  return [...new Set(urls)].slice(0, MAX_LINKS);
}

/** Registers the link_shared listener. */
export function registerUnfurlListener(app: App, deps: ListenerDeps): void {
  const links: IncidentLinks = createIncidentLinks({ store: deps.store, directory: deps.directory });

  app.event('link_shared', async ({ event, body, context }) => {
    const e = rec(event);
    const installed = installedOf(context);
    const user = text(e.user);
    const channel = text(e.channel);
    const messageTs = text(e.message_ts);
    const eventId = text(rec(body).event_id);
    const urls = sharedLinks(e.links);
    if (installed === null || user === null || channel === null || eventId === null || urls.length === 0)
      return;
    if (e.source === 'composer' || !CHANNEL_ID.test(channel) || !isTs(messageTs)) return;
    deps.later({
      team: installed.installation,
      kind: 'event',
      responseUrl: null,
      run: async () => {
        if (!(await claimDelivery(deps.store, `event:${eventId}`))) return;
        let principal: Awaited<ReturnType<typeof deps.identity.principal>>;
        try {
          principal = await deps.identity.principal({
            token: installed.token,
            userId: user,
            userTeam: null,
            displayName: null,
          });
        } catch (error) {
          deps.logger.warn(
            { err: error, user },
            'Slack: link not unfurled, the sharer’s workspace is unknown',
          );
          return;
        }
        // A DM the app is not part of is between people (a Slack Connect DM may hold another
        // organisation), which Slack will not describe to the app: who reads it is unknown.
        const audience: AudienceFacts =
          channel.startsWith('D') && e.is_bot_user_member !== true
            ? { kind: 'unknown', reason: 'a direct message the app is not part of' }
            : await deps.audience.factsFor(
                installed.token,
                installed.installation,
                channel,
                rec(body).is_ext_shared_channel === true,
              );
        const unfurls: Record<string, { blocks: unknown }> = {};
        for (const url of urls) {
          const outcome = await links.preview({ principal, audience }, url);
          if (outcome === null) continue;
          unfurls[url] = { blocks: renderCard(outcome.preview.card, { surface: 'message' }).blocks };
        }
        if (Object.keys(unfurls).length === 0) return;
        try {
          await deps.api.call(
            installed.token,
            'chat.unfurl',
            { channel, ts: messageTs, unfurls: JSON.stringify(unfurls) },
            { retryThrottled: true },
          );
        } catch (error) {
          deps.logger.warn({ err: error, channel }, 'Slack: chat.unfurl failed');
        }
      },
    });
  });
}
