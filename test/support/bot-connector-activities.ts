import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { TeamsActivity } from '../../adapters/teams/conversion/teams-inbound.js';

// The captured Teams activities in test/fixtures/teams, re-addressed for a test: the stand-in's service
// URL, the bot's real id, a tenant, and fresh activity ids so each send is a new delivery.

const dir = fileURLToPath(new URL('../fixtures/teams/', import.meta.url));

export const FIXTURE_BOT_ID = '28:00000000-0000-4000-8000-0000000000b0';
export const FIXTURE_SERVICE_URL = 'https://smba.trafficmanager.net/emea/';
export const FIXTURE_TENANT = '11111111-1111-4111-8111-111111111111';
export const FIXTURE_USER_MRI = '29:1ScrubbedAlexAnalystMri';

export type FixtureName =
  | 'message-personal'
  | 'message-channel-mention'
  | 'message-group-chat'
  | 'message-channel-reply'
  | 'message-update'
  | 'message-delete'
  | 'message-action-submit'
  | 'invoke-action-execute'
  | 'invoke-refresh'
  | 'invoke-compose-query-link'
  | 'invoke-compose-query'
  | 'conversation-update-personal-install'
  | 'conversation-update-team-install';

/** A fixture as JSON that the converters accept; tests may change any field. */
export type ActivityJson = Record<string, unknown> & {
  -readonly [K in keyof TeamsActivity]: TeamsActivity[K];
} & {
  id: string;
  conversation: Record<string, unknown> & { id: string };
  from: Record<string, unknown> & { id: string; aadObjectId?: string; name?: string };
  entities?: Array<{ type?: string; [key: string]: unknown }>;
};

/** The fixture exactly as captured (scrubbed). */
export const teamsFixture = (name: FixtureName): ActivityJson =>
  JSON.parse(readFileSync(`${dir}${name}.json`, 'utf8')) as ActivityJson;

export interface Readdress {
  readonly serviceUrl?: string;
  readonly appId?: string;
  readonly tenantId?: string;
  /** Activity id; default: a fresh one. */
  readonly id?: string;
  /** Replaces the whole conversation id (thread suffix included). */
  readonly conversationId?: string;
  readonly text?: string;
  readonly value?: unknown;
}

/** A fixture re-addressed for a test run. */
export function teamsActivity(name: FixtureName, r: Readdress = {}): ActivityJson {
  let json = readFileSync(`${dir}${name}.json`, 'utf8');
  if (r.serviceUrl !== undefined) json = json.split(FIXTURE_SERVICE_URL).join(r.serviceUrl);
  if (r.appId !== undefined) json = json.split(FIXTURE_BOT_ID).join(`28:${r.appId}`);
  if (r.tenantId !== undefined) json = json.split(FIXTURE_TENANT).join(r.tenantId);
  const activity = JSON.parse(json) as ActivityJson;
  activity.id = r.id ?? `${activity.type === 'message' ? '' : 'f:'}${Date.now()}${randomUUID().slice(0, 8)}`;
  if (r.conversationId !== undefined) activity.conversation.id = r.conversationId;
  if (r.text !== undefined) activity.text = r.text;
  if (r.value !== undefined) activity.value = r.value;
  return activity;
}
