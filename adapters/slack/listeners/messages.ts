import type { App, Context } from '@slack/bolt';
import { SLASH_COMMAND } from '../app-contract.js';
import { conversationRef } from '../conversation-ids.js';
import { installedOf, type ListenerDeps, laterOnce, type Rec, rec, text } from './common.js';
import { relayTurnOf, tsToIso } from './relay-events.js';
import { claimDelivery, type Installed, runTurn, slackToPlain, type TurnRequest } from './slack-inbound.js';

// Text in: the /experts command (answered ephemerally through response_url), @mentions in channels (answered
// in the message's thread) and direct messages (answered in the DM). Each is acknowledged first; Slack's
// retries of the same event_id are dropped before any work.

/** Registers the slash command and the message events. */
export function registerMessageListeners(app: App, deps: ListenerDeps): void {
  app.command(SLASH_COMMAND, async ({ ack, command, context }) => {
    await ack();
    const installed = installedOf(context);
    if (installed === null) return;
    deps.later({
      team: installed.installation,
      kind: 'command',
      responseUrl: command.response_url,
      run: async () => {
        if (!(await claimDelivery(deps.store, `cmd:${command.trigger_id}`))) return;
        await runTurn(deps, {
          ...installed,
          deliveryId: `cmd:${command.trigger_id}`,
          user: { userId: command.user_id, userTeam: null, displayName: text(command.user_name) },
          conversation: conversationRef(
            installed.installation,
            command.channel_id,
            null,
            command.channel_name === 'directmessage' ? 'im' : null,
          ),
          input: { kind: 'message', text: slackToPlain(command.text ?? '', undefined), attachmentCount: 0 },
          target: {
            kind: 'ephemeral',
            responseUrl: command.response_url,
            channel: command.channel_id,
            user: command.user_id,
            threadTs: null,
          },
        });
      },
    });
  });

  app.event('app_mention', async ({ event, body, context }) => {
    const e = rec(event);
    const installed = installedOf(context);
    const user = text(e.user);
    const channel = text(e.channel);
    const ts = text(e.ts);
    const eventId = text(rec(body).event_id);
    if (
      installed === null ||
      user === null ||
      channel === null ||
      ts === null ||
      eventId === null ||
      e.bot_id !== undefined
    )
      return;
    messageTurn(
      deps,
      context,
      { e, installed, eventId, user, channel, kind: null },
      {
        // Where the channel is shared with other organisations the core marks answers private: they go to
        // the asker alone (chat.postEphemeral), never into the channel.
        target: {
          kind: 'channel',
          channel,
          threadTs: text(e.thread_ts) ?? ts,
          messageTs: null,
          asker: { user, responseUrl: null },
        },
        sharedHint: rec(body).is_ext_shared_channel === true,
      },
    );
  });

  app.event('message', async ({ event, body, context }) => {
    const e = rec(event);
    const subtype = text(e.subtype);
    const installed = installedOf(context);
    const user = text(e.user);
    const channel = text(e.channel);
    const eventId = text(rec(body).event_id);
    // Only people's messages in the app's DM are commands; the rest (channel messages, thread replies,
    // edits, deletions) may belong to a relayed thread (relay-events.ts).
    if (e.channel_type !== 'im' || (subtype !== null && subtype !== 'file_share') || e.bot_id !== undefined) {
      const relayed =
        installed === null || eventId === null ? null : relayTurnOf(e, eventId, installed, context.botUserId);
      if (installed === null || relayed === null) return;
      deps.later({
        team: installed.installation,
        kind: 'event',
        responseUrl: null,
        run: async () => {
          if (!(await claimDelivery(deps.store, `event:${relayed.deliveryId}`))) return;
          await runTurn(deps, {
            ...installed,
            ...relayed,
            sharedHint: rec(body).is_ext_shared_channel === true,
          });
        },
      });
      return;
    }
    if (installed === null || user === null || channel === null || eventId === null) return;
    messageTurn(
      deps,
      context,
      { e, installed, eventId, user, channel, kind: 'im' },
      { target: { kind: 'channel', channel, threadTs: text(e.thread_ts), messageTs: null } },
    );
  });
}

/**
 * A person's message to the bot, an @mention in a channel or a DM (kind 'im'), run as a core turn after the
 * ack, once per event id; the two differ only in the conversation kind and where the answer goes.
 */
function messageTurn(
  deps: ListenerDeps,
  context: Context,
  m: { e: Rec; installed: Installed; eventId: string; user: string; channel: string; kind: 'im' | null },
  answer: Pick<TurnRequest, 'target' | 'sharedHint'>,
): void {
  const { installed, e, eventId } = m;
  laterOnce(deps, installed, { id: eventId, retryNum: context.retryNum }, async () => {
    const ts = text(e.ts);
    await runTurn(deps, {
      ...installed,
      ...answer,
      deliveryId: eventId,
      user: { userId: m.user, userTeam: text(e.user_team) ?? text(e.team), displayName: null },
      conversation: conversationRef(installed.installation, m.channel, text(e.thread_ts), m.kind),
      input: {
        kind: 'message',
        text: slackToPlain(text(e.text) ?? '', context.botUserId),
        attachmentCount: Array.isArray(e.files) ? e.files.length : 0,
        ...(ts === null ? {} : { messageId: ts }),
        ...(tsToIso(ts) ? { sentAt: tsToIso(ts) } : {}),
      },
    });
  });
}
