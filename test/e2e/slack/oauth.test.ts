import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  eventEnvelope,
  postEvent,
  type SlackBotHarness,
  startSlackBot,
  uniqueTs,
} from '../../support/slack-harness.js';
import type { RecordedCall } from '../../support/slack-standin.js';

// OAuth distribution end to end: the install route sends the admin to Slack with a signed state, the
// redirect exchanges the code at the (stand-in) Web API and keeps the installation in our store, and
// events from that workspace — or from any workspace of an Enterprise Grid org installed org-wide — are
// then answered with that installation's token. Uninstalling removes it.

const CUSTOMERS = `
customers:
  - id: fabrikam
    name: Fabrikam Inc
    slack: { teamId: T0FABRIKAM }
  - id: gridco
    name: Grid Corp
    slack: { teamId: E0GRID }
`;

let h: SlackBotHarness;
beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'dxb-slack-oauth-'));
  const file = join(dir, 'customers.yaml');
  writeFileSync(file, CUSTOMERS);
  h = await startSlackBot({
    TENANTS_FILE: file,
    SLACK_BOT_TOKEN: '',
    SLACK_CLIENT_ID: '1111.2222',
    SLACK_CLIENT_SECRET: 'client-secret-S3CRET',
    SLACK_STATE_SECRET: 'state-secret-S3CRET-long-enough-to-sign',
    PUBLIC_BASE_URL: 'https://bot.example.com',
  });
  h.standIn.users.set('U0FAB', { team_id: 'T0FABRIKAM' });
  h.standIn.users.set('U0GRID', { team_id: 'T0GRIDWS', enterprise_id: 'E0GRID' });
});
afterAll(async () => {
  await h?.close();
});

/** Runs the browser side of an install: /slack/install, then Slack's redirect back with a code. */
async function install(access: Record<string, unknown>): Promise<Response> {
  h.standIn.oauthAccess = {
    ok: true,
    app_id: 'A0DXBAPP',
    token_type: 'bot',
    scope: 'chat:write,commands',
    authed_user: { id: 'U0ADMIN' },
    ...access,
  };
  const start = await fetch(`${h.url}/slack/install`, { redirect: 'manual' });
  expect(start.status).toBe(302);
  const location = new URL(start.headers.get('location') ?? '');
  expect(location.origin + location.pathname).toBe('https://slack.com/oauth/v2/authorize');
  expect(location.searchParams.get('client_id')).toBe('1111.2222');
  expect(location.searchParams.get('redirect_uri')).toBe('https://bot.example.com/slack/oauth_redirect');
  const state = location.searchParams.get('state') ?? '';
  const cookie = (start.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  expect(cookie).toContain(state);
  return fetch(`${h.url}/slack/oauth_redirect?code=code-123&state=${encodeURIComponent(state)}`, {
    headers: { cookie },
  });
}

const authorizations = (a: Record<string, unknown>) => [
  { enterprise_id: null, user_id: 'UBOT', is_bot: true, is_enterprise_install: false, ...a },
];

async function mentionFrom(team: string, user: string, extra: Record<string, unknown> = {}): Promise<string> {
  const ts = uniqueTs();
  const envelope = {
    ...eventEnvelope('app-mention', {
      text: '<@UBOT> summary',
      user,
      team,
      ts,
      event_ts: ts,
      channel: 'C0OAUTH',
    }),
    team_id: team,
    authorizations: authorizations({ team_id: team }),
    ...extra,
  };
  expect((await postEvent(h, envelope)).status).toBe(200);
  return ts;
}

const answerIn = (ts: string) => (c: RecordedCall) =>
  c.method === 'chat.postMessage' && c.args.thread_ts === ts;

describe('Slack OAuth distribution', () => {
  it('installs a workspace and answers it with its own token', async () => {
    const done = await install({
      access_token: 'xoxb-fabrikam-oauth',
      bot_user_id: 'UBOTFAB',
      team: { id: 'T0FABRIKAM', name: 'Fabrikam' },
      enterprise: null,
      is_enterprise_install: false,
    });
    expect(done.status).toBe(200);
    const exchange = h.standIn.of('oauth.v2.access').at(-1);
    expect(exchange?.args).toMatchObject({ code: 'code-123', client_id: '1111.2222' });
    expect(exchange?.token).toBeNull();

    const ts = await mentionFrom('T0FABRIKAM', 'U0FAB');
    const answer = await h.standIn.waitFor(answerIn(ts), 'the answer');
    expect(answer.token).toBe('xoxb-fabrikam-oauth');
    expect(JSON.stringify(answer.args)).toContain('Fabrikam Inc');
  });

  it('refuses a redirect without the browser’s state cookie', async () => {
    const res = await fetch(`${h.url}/slack/oauth_redirect?code=x&state=forged`);
    expect(res.status).toBeGreaterThanOrEqual(400);
  });

  it('serves every workspace of an org-wide Enterprise Grid install, keyed by the org', async () => {
    await install({
      access_token: 'xoxb-grid-org',
      bot_user_id: 'UBOTGRID',
      team: null,
      enterprise: { id: 'E0GRID', name: 'Grid' },
      is_enterprise_install: true,
    });
    const ts = await mentionFrom('T0GRIDWS', 'U0GRID', {
      enterprise_id: 'E0GRID',
      authorizations: authorizations({
        team_id: 'T0GRIDWS',
        enterprise_id: 'E0GRID',
        is_enterprise_install: true,
      }),
    });
    const answer = await h.standIn.waitFor(answerIn(ts), 'the org’s answer');
    expect(answer.token).toBe('xoxb-grid-org');
    // The customers file names the org (E0GRID); the user's own org decided the customer.
    expect(JSON.stringify(answer.args)).toContain('Grid Corp');
  });

  it('forgets a workspace that uninstalls the app: its events are no longer answered', async () => {
    const uninstall = {
      ...eventEnvelope('app-mention', { type: 'app_uninstalled' }),
      team_id: 'T0FABRIKAM',
      authorizations: authorizations({ team_id: 'T0FABRIKAM' }),
    };
    await postEvent(h, uninstall);
    for (let i = 0; i < 500 && !/installation removed/.test(h.bot.output()); i += 1)
      await new Promise((r) => setTimeout(r, 10));
    expect(h.bot.output()).toMatch(/installation removed/);
    const ts = await mentionFrom('T0FABRIKAM', 'U0FAB');
    for (
      let i = 0;
      i < 500 && !/Authorization of incoming event did not succeed/.test(h.bot.output());
      i += 1
    )
      await new Promise((r) => setTimeout(r, 10));
    expect(h.bot.output()).toMatch(/Authorization of incoming event did not succeed/);
    expect(h.standIn.calls.filter(answerIn(ts))).toEqual([]);
  });

  it('never writes the client or state secrets to the log', () => {
    expect(h.bot.output()).not.toMatch(/S3CRET/);
  });
});
