import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  eventEnvelope,
  postEvent,
  type SlackBotHarness,
  slashCommand,
  startSlackBot,
  uniqueTs,
} from '../../support/slack-harness.js';
import { connectChannel, type RecordedCall } from '../../support/slack-standin.js';

// Microsoft Defender portal links posted in Slack, through the real process and the Slack stand-in:
// link_shared in, chat.unfurl out, only the sharer's own customer's incident and only where the channel
// may show it; everything else gets one neutral preview that says nothing about the id. And `/experts
// find <text>`, answered privately.

const CONTOSO_TENANT = '11111111-1111-4111-8111-111111111111';
const SHARED = 'C0SHAREDFAB';

let h: SlackBotHarness;
beforeAll(async () => {
  h = await startSlackBot({}, (standIn) => {
    standIn.users.set('U0FABI', { team_id: 'T0FABRIKAM', name: 'fabi' });
    standIn.channels.set(SHARED, connectChannel(SHARED, 'T0CONTOSO', ['T0FABRIKAM']));
  });
});
afterAll(async () => {
  await h?.close();
});

const newChannel = (): string => `C${randomUUID().replace(/-/g, '').slice(0, 10).toUpperCase()}`;
const ok = (c: RecordedCall): boolean => (c.result as { ok?: boolean } | null)?.ok === true;

/** The incident ids a customer's person sees in `incidents all` (read through the bot, not assumed). */
async function idsSeenBy(user: string, team: string): Promise<string[]> {
  const { hook } = await slashCommand(h, 'incidents all', { user, team });
  const answer = await h.standIn.waitFor((c) => c.method === hook, `${user}'s incident list`);
  return [...new Set([...JSON.stringify(answer.args).matchAll(/#(\d{4,})\b/g)].map((m) => m[1] as string))];
}

/** Posts a link_shared event for `urls` (announced to the stand-in) and returns the chat.unfurl, if any. */
async function share(
  urls: readonly string[],
  opts: { user?: string; channel?: string; extra?: Record<string, unknown> } = {},
): Promise<Record<string, { blocks: unknown[] }>> {
  const channel = opts.channel ?? newChannel();
  const ts = uniqueTs();
  h.standIn.sharedLinks.set(`${channel}/${ts}`, urls);
  const res = await postEvent(
    h,
    eventEnvelope('link-shared', {
      channel,
      message_ts: ts,
      user: opts.user ?? 'U0ALICE',
      links: urls.map((url) => ({ domain: new URL(url).hostname, url })),
      ...opts.extra,
    }),
  );
  expect(res.status).toBe(200);
  const call = await h.standIn.waitFor(
    (c) => c.method === 'chat.unfurl' && c.args.channel === channel && c.args.ts === ts,
    `chat.unfurl for ${channel}/${ts}`,
  );
  expect(ok(call), JSON.stringify(call.result)).toBe(true);
  const raw = call.args.unfurls;
  return (typeof raw === 'string' ? JSON.parse(raw) : raw) as Record<string, { blocks: unknown[] }>;
}

let contoso: string[];
let fabrikam: string[];
beforeAll(async () => {
  contoso = await idsSeenBy('U0ALICE', 'T0CONTOSO');
  fabrikam = await idsSeenBy('U0FABI', 'T0FABRIKAM');
  expect(contoso.length).toBeGreaterThan(0);
  expect(fabrikam.length).toBeGreaterThan(0);
  expect(contoso.filter((id) => fabrikam.includes(id))).toEqual([]);
});

const link = (id: string, tid: string | null = CONTOSO_TENANT) =>
  `https://security.microsoft.com/incidents/${id}${tid === null ? '' : `?tid=${tid}`}`;

describe('link unfurling in Slack', () => {
  it('previews the sharer’s own incident: title, severity, status, owner, classification, an Open button', async () => {
    const id = contoso[0] as string;
    const url = link(id);
    const unfurls = await share([url]);
    const text = JSON.stringify(unfurls[url]);
    expect(text).toContain(`Incident ${id}`);
    expect(text).toMatch(/severity/);
    expect(text).toContain('Status');
    expect(text).toMatch(/Assigned to|Resolved by/);
    expect(text).toContain('Classification');
    expect(text).toMatch(/awaits your action|Awaiting your action/);
    expect(text).toContain('Open in Microsoft Defender portal');
    expect(text).toContain(JSON.stringify(url).slice(1, -1));
  });

  it('reads the incident2 form and links without a tenant the same way', async () => {
    const id = contoso[1] ?? (contoso[0] as string);
    const a = `https://security.microsoft.com/incident2/${id}/overview?tid=${CONTOSO_TENANT}`;
    const b = link(id, null);
    const unfurls = await share([a, b]);
    expect(JSON.stringify(unfurls[a])).toContain(`Incident ${id}`);
    expect(JSON.stringify(unfurls[b])).toContain(`Incident ${id}`);
  });

  it('answers another customer’s id, an unknown id, another tenant and an unlinked sharer alike, with nothing of the incident', async () => {
    const other = fabrikam[0] as string;
    const [theirs, unknown, tenant] = [
      link(other),
      link('987654321'),
      link(contoso[0] as string, '99999999-9999-4999-8999-999999999999'),
    ];
    const unfurls = await share([theirs, unknown, tenant]);
    const neutral = JSON.stringify(unfurls[unknown]);
    expect(neutral).toContain('Microsoft Defender incident');
    expect(neutral).not.toMatch(/Status|severity|Incident \d/);
    expect(JSON.stringify(unfurls[theirs])).toBe(neutral);
    expect(JSON.stringify(unfurls[tenant])).toBe(neutral);
    const outsider = await share([link(contoso[0] as string)], { user: 'U0OUTSIDER' });
    expect(JSON.stringify(Object.values(outsider)[0])).toBe(neutral);
  });

  it('shows nothing of the incident in a Slack Connect channel shared with another customer', async () => {
    const url = link(contoso[0] as string);
    const unfurls = await share([url], { channel: SHARED, extra: { is_bot_user_member: true } });
    const text = JSON.stringify(unfurls[url]);
    expect(text).toContain('Microsoft Defender incident');
    expect(text).not.toContain(`Incident ${contoso[0]}`);
  });

  it('ignores links that are not portal incident links, and leaves a link in the composer alone', async () => {
    const good = link(contoso[0] as string);
    const lookalikes = [
      'https://security.microsoft.com/machines/abc',
      'https://security.microsoft.com/incidents/12ab',
      'https://security.microsoft.com:8443/incidents/1',
      `https://security.microsoft.com/incidents/1?tid=not-a-guid`,
    ];
    const composerId = `U0ALICE-${randomUUID()}`;
    h.standIn.sharedLinks.set(`unfurl:${composerId}`, [good]);
    await postEvent(
      h,
      eventEnvelope('link-shared', {
        channel: 'COMPOSER',
        message_ts: composerId,
        unfurl_id: composerId,
        source: 'composer',
        links: [{ domain: 'security.microsoft.com', url: good }],
      }),
    );
    const unfurls = await share([...lookalikes, good]);
    expect(Object.keys(unfurls)).toEqual([good]);
    expect(h.standIn.of('chat.unfurl').filter((c) => c.args.unfurl_id === composerId)).toEqual([]);
  });
});

describe('/experts find', () => {
  it('finds the caller’s own incident by id, privately, and never another customer’s', async () => {
    const id = contoso[0] as string;
    const mine = await slashCommand(h, `find ${id}`);
    const answer = await h.standIn.waitFor((c) => c.method === mine.hook, 'the find answer');
    expect(answer.args).toMatchObject({ response_type: 'ephemeral' });
    expect(JSON.stringify(answer.args)).toContain(`#${id}`);

    const theirs = await slashCommand(h, `find ${fabrikam[0]}`);
    const refused = await h.standIn.waitFor((c) => c.method === theirs.hook, 'the second find answer');
    expect(JSON.stringify(refused.args)).toContain('No incident matches');
    expect(JSON.stringify(refused.args)).not.toContain(`#${fabrikam[0]}`);
  });
});
