import { webApi } from '@slack/bolt';
import { describe, expect, it } from 'vitest';
import { conversationRef, parseConversation } from '../../../../adapters/slack/conversation-ids.js';
import { slackToPlain } from '../../../../adapters/slack/listeners/slack-inbound.js';
import { cardMarkdownToMrkdwn, escapeMrkdwn, splitMrkdwn } from '../../../../adapters/slack/render/mrkdwn.js';
import { slackSettings } from '../../../../adapters/slack/slack-settings.js';
import { checkSignature } from '../../../../adapters/slack/transport/signature.js';
import { toDeliveryError } from '../../../../adapters/slack/transport/slack-errors.js';
import { ChatDeliveryError, ConfigError } from '../../../../bot/errors.js';
import { sign } from '../../../support/slack-signing.js';

// The small pure pieces at the Slack edge: markdown conversion, signature window, error mapping, settings,
// text normalisation and conversation ids.

describe('card markdown → mrkdwn', () => {
  it('unescapes the card escaping, then escapes what Slack parses', () => {
    expect(cardMarkdownToMrkdwn('\\<\\!channel\\> \\*x\\* a \\& b')).toBe('&lt;!channel&gt; *x* a &amp; b');
    expect(cardMarkdownToMrkdwn('**Status**')).toBe('*Status*');
    expect(escapeMrkdwn('<@U1>&')).toBe('&lt;@U1&gt;&amp;');
  });

  it('keeps an author’s https link, drops any other scheme, never a link from escaped text', () => {
    expect(cardMarkdownToMrkdwn('[Portal](https://security.microsoft.com/x)')).toBe(
      '<https://security.microsoft.com/x|Portal>',
    );
    expect(cardMarkdownToMrkdwn('[x](javascript:alert(1))')).toBe('x)');
    expect(cardMarkdownToMrkdwn('\\[click\\](https://evil.example)')).toBe('[click](https://evil.example)');
    expect(cardMarkdownToMrkdwn('[a|b>](https://ok.example)')).toBe('<https://ok.example/|a¦b&gt;>');
  });

  it('splits long text at line breaks without cutting an entity', () => {
    const pieces = splitMrkdwn(`${'a'.repeat(2990)}&amp;&amp;\n${'b'.repeat(100)}`, 3000);
    expect(pieces[0]?.endsWith('&amp;')).toBe(true);
    expect(pieces.every((p) => p.length <= 3000)).toBe(true);
    expect(pieces.join('').replace(/\n/g, '')).toBe(`${'a'.repeat(2990)}&amp;&amp;${'b'.repeat(100)}`);
  });
});

describe('request signatures', () => {
  const secret = 's3cret';
  const body = Buffer.from('token=x&text=help');
  const now = 1_800_000_000_000;
  const ts = now / 1000;
  const headers = (t: number, s = sign(secret, t, body.toString())) => ({
    signature: s,
    timestamp: String(t),
  });

  it('accepts a fresh, correct signature and refuses everything else', () => {
    expect(checkSignature(secret, headers(ts), body, now)).toBeNull();
    expect(checkSignature(secret, headers(ts - 299), body, now)).toBeNull();
    expect(checkSignature(secret, headers(ts - 301), body, now)).toBe('stale');
    expect(checkSignature(secret, headers(ts + 301), body, now)).toBe('future');
    expect(checkSignature(secret, headers(ts, sign('other', ts, body.toString())), body, now)).toBe(
      'mismatch',
    );
    expect(checkSignature(secret, headers(ts), Buffer.from('token=x&text=help!'), now)).toBe('mismatch');
    expect(checkSignature(secret, { signature: undefined, timestamp: String(ts) }, body, now)).toBe(
      'missing',
    );
    expect(checkSignature(secret, { signature: 'v0=00', timestamp: '1e9' }, body, now)).toBe('timestamp');
  });
});

describe('Slack errors → ChatDeliveryError', () => {
  const platform = (code: string) =>
    toDeliveryError(new webApi.WebAPIPlatformError({ ok: false, error: code }), 'chat.postMessage');

  it('maps each family once', () => {
    expect(toDeliveryError(new webApi.WebAPIRateLimitedError(7), 'm')).toMatchObject({
      failure: 'throttled',
      retryAfterMs: 7000,
    });
    for (const c of ['channel_not_found', 'is_archived']) expect(platform(c).failure).toBe('gone');
    for (const c of ['not_in_channel', 'account_inactive', 'token_revoked', 'missing_scope', 'invalid_auth'])
      expect(platform(c).failure).toBe('forbidden');
    for (const c of ['invalid_blocks', 'msg_too_long', 'no_text', 'something_new'])
      expect(platform(c).failure).toBe('invalid');
    for (const c of ['internal_error', 'fatal_error', 'service_unavailable'])
      expect(platform(c).failure).toBe('transient');
    expect(toDeliveryError(new webApi.WebAPIHTTPError(503, 'x', {}), 'm').failure).toBe('transient');
    expect(toDeliveryError(new webApi.WebAPIRequestError(new Error('ECONNRESET')), 'm').failure).toBe(
      'transient',
    );
    expect(platform('ratelimited')).toBeInstanceOf(ChatDeliveryError);
  });
});

describe('Slack settings', () => {
  const base = { SLACK_API_URL: 'http://127.0.0.1:9/api' } as const;

  it('is unconfigured (null) until the endpoint has a secret and a token or OAuth', () => {
    expect(slackSettings({ ...base })).toBeNull();
    expect(slackSettings({ ...base, SLACK_BOT_TOKEN: 'xoxb-1' })).toBeNull();
    expect(slackSettings({ ...base, SLACK_SIGNING_SECRET: 's' })).toBeNull();
    expect(slackSettings({ ...base, SLACK_SIGNING_SECRET: 's', SLACK_BOT_TOKEN: 'xoxb-1' })).toMatchObject({
      transport: { kind: 'http' },
      auth: { kind: 'token' },
      apiUrl: 'http://127.0.0.1:9/api/',
    });
    expect(
      slackSettings({ ...base, SLACK_APP_TOKEN: 'xapp-1', SLACK_BOT_TOKEN: 'xoxb-1' })?.transport.kind,
    ).toBe('socket');
  });

  it('OAuth needs all three secrets; problems are reported one line each', () => {
    const oauth = {
      ...base,
      SLACK_SIGNING_SECRET: 's',
      SLACK_CLIENT_ID: 'id',
      SLACK_CLIENT_SECRET: 'sec',
      SLACK_STATE_SECRET: 'st',
    };
    expect(slackSettings({ ...oauth, PUBLIC_BASE_URL: 'https://bot.example.com' })?.auth).toMatchObject({
      kind: 'oauth',
      redirectUri: 'https://bot.example.com/slack/oauth_redirect',
    });
    const problems = (c: Parameters<typeof slackSettings>[0]): string[] => {
      try {
        slackSettings(c);
        return [];
      } catch (error) {
        return error instanceof ConfigError ? [...error.problems] : ['not a ConfigError'];
      }
    };
    expect(problems({ ...oauth, SLACK_STATE_SECRET: undefined })).toEqual([
      expect.stringMatching(/^SLACK_STATE_SECRET: /),
    ]);
    expect(problems({ ...base, SLACK_CLIENT_ID: 'id' })).toEqual([
      expect.stringMatching(/^SLACK_CLIENT_SECRET: /),
    ]);
    expect(problems({ ...oauth, SLACK_APP_TOKEN: 'xapp-1' })).toEqual([
      expect.stringMatching(/^SLACK_APP_TOKEN: /),
    ]);
    expect(problems({ ...base, SLACK_BOT_TOKEN: 'xoxp-user' })).toEqual([
      expect.stringMatching(/^SLACK_BOT_TOKEN: .*xoxb-/),
    ]);
  });
});

describe('Slack text → plain text for the core', () => {
  it('drops the bot’s mention, turns markup into words and decodes entities', () => {
    expect(slackToPlain('<@UBOT> incident 42', 'UBOT')).toBe('incident 42');
    expect(
      slackToPlain('<@UBOT|dxb> ask <@U1|alice> in <#C1|soc> <!here> <https://x.example|docs>', 'UBOT'),
    ).toBe('ask @alice in #soc @here docs (https://x.example)');
    expect(slackToPlain('&lt;!channel&gt; &amp;lt;', undefined)).toBe('<!channel> &lt;');
  });
});

describe('conversation ids', () => {
  it('are built and read back only here', () => {
    const ref = conversationRef('T0CONTOSO', 'C0ALERTS', '1700000000.000100', null);
    expect(ref).toEqual({
      platform: 'slack',
      id: 'slack:T0CONTOSO:C0ALERTS',
      threadId: '1700000000.000100',
      kind: 'channel',
    });
    expect(conversationRef('E0ORG', 'D0X', null, 'im').kind).toBe('personal');
    expect(parseConversation(ref)).toEqual({ installation: 'T0CONTOSO', channel: 'C0ALERTS' });
    expect(() => parseConversation({ platform: 'slack', id: 'slack:T1:https://evil' })).toThrow();
    expect(() => parseConversation({ platform: 'teams', id: 'slack:T1:C1' })).toThrow();
  });
});
