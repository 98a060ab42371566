import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import {
  ASK_SHORTCUT,
  BOT_EVENTS,
  BOT_SCOPES,
  ROUTES,
  SLASH_COMMAND,
  UNFURL_DOMAINS,
} from '../../../../adapters/slack/app-contract.js';

// The Slack app manifest is what an admin imports to create the app: it must ask for exactly the scopes,
// events, command and shortcut the adapter uses, point every URL at the one endpoint, and justify each scope.

const path = new URL('../../../../manifest/slack/manifest.yaml', import.meta.url);
const source = readFileSync(path, 'utf8');
type Manifest = {
  _metadata: { major_version: number };
  display_information: { name: string; description: string; long_description?: string };
  features: {
    app_home: { home_tab_enabled: boolean; messages_tab_enabled: boolean };
    bot_user: { display_name: string };
    unfurl_domains?: string[];
    shortcuts: { callback_id: string; type: string; name: string; description: string }[];
    slash_commands: { command: string; url: string; should_escape: boolean }[];
  };
  oauth_config: { redirect_urls: string[]; scopes: { bot: string[]; user?: string[] } };
  settings: {
    event_subscriptions: { request_url: string; bot_events: string[] };
    interactivity: { is_enabled: boolean; request_url: string };
    socket_mode_enabled: boolean;
    org_deploy_enabled: boolean;
  };
};
const manifest = parse(source) as Manifest;

describe('manifest/slack/manifest.yaml', () => {
  it('asks for exactly the bot scopes the adapter uses, and no user scopes', () => {
    expect([...manifest.oauth_config.scopes.bot].sort()).toEqual([...BOT_SCOPES].sort());
    expect(manifest.oauth_config.scopes.user).toBeUndefined();
  });

  it('justifies every scope with a comment on the line before it', () => {
    const lines = source.split('\n');
    for (const scope of BOT_SCOPES) {
      const i = lines.findIndex((l) => l.trim() === `- ${scope}`);
      expect(i, scope).toBeGreaterThan(0);
      expect(lines[i - 1]?.trim(), scope).toMatch(/^# \S.{10,}/);
    }
  });

  it('subscribes to the events the listeners handle, with the slash command and the shortcut', () => {
    expect([...manifest.settings.event_subscriptions.bot_events].sort()).toEqual([...BOT_EVENTS].sort());
    expect(manifest.features.slash_commands.map((c) => c.command)).toEqual([SLASH_COMMAND]);
    expect(manifest.features.shortcuts.map((s) => s.callback_id)).toEqual([ASK_SHORTCUT]);
    expect(manifest.features.app_home.home_tab_enabled).toBe(true);
    expect(manifest.features.app_home.messages_tab_enabled).toBe(true);
    expect(manifest.features.unfurl_domains).toEqual([...UNFURL_DOMAINS]);
  });

  it('sends events, the command and interactivity to one URL, and OAuth back to the redirect route', () => {
    const urls = [
      manifest.settings.event_subscriptions.request_url,
      manifest.settings.interactivity.request_url,
      ...manifest.features.slash_commands.map((c) => c.url),
    ];
    for (const u of urls) expect(new URL(u).pathname).toBe(ROUTES.events);
    expect(manifest.settings.interactivity.is_enabled).toBe(true);
    expect(manifest.oauth_config.redirect_urls.map((u) => new URL(u).pathname)).toEqual([ROUTES.redirect]);
  });

  it('is importable: the keys Slack requires are there, with values in Slack’s bounds', () => {
    expect(manifest._metadata.major_version).toBe(1);
    expect(manifest.display_information.name.length).toBeLessThanOrEqual(35);
    expect(manifest.display_information.description.length).toBeLessThanOrEqual(140);
    expect(manifest.display_information.long_description?.length ?? 175).toBeGreaterThanOrEqual(174);
    expect(manifest.features.bot_user.display_name.length).toBeLessThanOrEqual(80);
    expect(typeof manifest.settings.socket_mode_enabled).toBe('boolean');
    expect(manifest.settings.org_deploy_enabled).toBe(true);
    for (const s of manifest.features.shortcuts) expect(['global', 'message']).toContain(s.type);
  });
});
