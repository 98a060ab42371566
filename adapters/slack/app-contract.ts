// What the Slack app is: the slash command, the events and shortcuts it subscribes to, the scopes it asks
// for and the routes it serves. The adapter registers exactly these, and a test holds the app manifest
// (manifest/slack/manifest.yaml) to the same lists, so the two cannot drift apart.

/** The one slash command. */
export const SLASH_COMMAND = '/experts';

/** Bot events the listeners handle (OAuth ones only matter with OAuth distribution, but are harmless). */
export const BOT_EVENTS = [
  'app_home_opened',
  'app_mention',
  'message.im',
  'message.channels',
  'message.groups',
  'app_uninstalled',
  'tokens_revoked',
  'link_shared',
] as const;

/** Bot scopes, minimal; the manifest justifies each one. */
export const BOT_SCOPES = [
  'app_mentions:read',
  'chat:write',
  'commands',
  'channels:history',
  'groups:history',
  'im:history',
  'im:write',
  'users:read',
  'users:read.email',
  'channels:read',
  'groups:read',
  'mpim:read',
  'links:read',
  'links:write',
] as const;

/** Domains whose links Slack sends as link_shared events, for the bot to unfurl (chat.unfurl). */
export const UNFURL_DOMAINS = ['security.microsoft.com'] as const;

/** Global shortcut that opens the Ask Defender Experts modal. */
export const ASK_SHORTCUT = 'ask_experts';

/** Modal callback ids. */
export const CARD_MODAL = 'dxb:card';
/** The Ask Defender Experts form's callback id. */
export const ASK_MODAL = 'dxb:ask';

/** Adapter-owned buttons (not from cards): open the Ask modal; go back to the Home summary. */
export const ASK_BUTTON = 'dxb:ask';
/** The Home tab's "back to the summary" button. */
export const HOME_BUTTON = 'dxb:home';

/** HTTP routes (events, commands and interactivity share one URL). */
export const ROUTES = {
  events: '/slack/events',
  install: '/slack/install',
  redirect: '/slack/oauth_redirect',
} as const;
