import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  eventEnvelope,
  postEvent,
  type SlackBotHarness,
  slashCommand,
  startSlackBot,
  uniqueTs,
} from '../../support/slack-harness.js';
import type { RecordedCall } from '../../support/slack-standin.js';

// End to end with the real bot process and the Slack Web API stand-in: the report card as Slack blocks with
// an image at a signed PUBLIC_BASE_URL link that the process serves (and refuses when tampered with), the
// SDM starting a check-in that lands in the customer's channel, and an escalation relayed to the SDM's DM
// with the SDM's reply coming back into the customer's thread, escaped.

const PUBLIC = 'https://bot.example.com';
let h: SlackBotHarness;

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'dxb-sdm-'));
  const file = join(dir, 'customers.yaml');
  writeFileSync(
    file,
    [
      'customers:',
      '  - id: contoso',
      '    name: Contoso Ltd',
      '    slack: { teamId: T0CONTOSO }',
      '    sdm: { name: Dana Reyes, email: dana@provider.example, slackUserId: U0DANA }',
      '    responders: [ "slack:U0ALICE" ]',
      '    admins: [ "slack:U0ADMIN" ]',
      'experts:',
      '  slack: { teamId: T0EXPERTS, channelId: C0QUEUE }',
      '  members: [ "slack:U0EXPERT1" ]',
      '',
    ].join('\n'),
  );
  h = await startSlackBot(
    {
      TENANTS_FILE: file,
      PUBLIC_BASE_URL: PUBLIC,
      REPORT_LINK_SECRET: 'e2e-secret-'.repeat(4),
      RELAY_SETTLE_MS: '200',
    },
    (st) => {
      st.users.set('U0DANA', { team_id: 'T0EXPERTS', name: 'dana' });
      st.users.set('U0EXPERT1', { team_id: 'T0EXPERTS', name: 'eve' });
    },
  );
}, 60_000);

afterAll(async () => {
  await h?.close();
});

const blocksText = (c: RecordedCall): string => JSON.stringify(c.args);
const event = async (fixture: string, fields: Record<string, unknown>, team?: string): Promise<void> => {
  const base = eventEnvelope(fixture, team === undefined ? fields : { ...fields, team }) as Record<
    string,
    unknown
  >;
  const envelope =
    team === undefined
      ? base
      : {
          ...base,
          team_id: team,
          context_team_id: team,
          authorizations: [
            {
              enterprise_id: null,
              team_id: team,
              user_id: 'UBOT',
              is_bot: true,
              is_enterprise_install: false,
            },
          ],
        };
  const res = await postEvent(h, envelope);
  expect(res.status).toBe(200);
};
const mention = (text: string, user: string, channel: string, ts = uniqueTs()) =>
  event('app-mention', { text: `<@UBOT> ${text}`, user, channel, ts, event_ts: ts });
const posts = (channel: string): RecordedCall[] =>
  h.standIn.of('chat.postMessage').filter((c) => c.args.channel === channel);

describe('messages in Slack', () => {
  it('answers /experts messages with the grouped threads and a signed CSV link the bot serves', async () => {
    const { hook } = await slashCommand(h, 'messages open');
    const answer = await h.standIn.waitFor((c) => c.method === hook, 'the messages card');
    const text = blocksText(answer);
    expect(text).toMatch(/Messages/);
    expect(text).toMatch(/Managed response \(\d+\)/);
    expect(text).toMatch(/Ask Defender Experts \(\d+\)/);
    const link =
      /https:\/\/bot\.example\.com\/messages\/contoso\/open\/[^"\\]+messages\.csv\?exp=\d+&sig=[A-Za-z0-9_-]+/.exec(
        text,
      )?.[0];
    expect(link).toBeDefined();
    const res = await fetch(String(link).replace(PUBLIC, h.url));
    expect(res.status).toBe(200);
    expect(await res.text()).toMatch(
      /^Customer,Type,Request,Incident,Title,State,Last activity \(UTC\),Unread by you/,
    );
  });
});

describe('report in Slack', () => {
  it('shows the chart as an image block at a signed public link the bot serves, and refuses a tampered one', async () => {
    const { hook } = await slashCommand(h, 'report 30d');
    const answer = await h.standIn.waitFor((c) => c.method === hook, 'the report card');
    const blocks = (answer.args.blocks ?? []) as { type: string; image_url?: string }[];
    const image = blocks.find((b) => b.type === 'image');
    expect(image?.image_url).toMatch(
      /^https:\/\/bot\.example\.com\/reports\/contoso\/30d-[a-f0-9]+\/chart\.png\?exp=\d+&sig=/,
    );
    expect(blocksText(answer)).toMatch(/report\.csv\?exp=/);
    expect(blocksText(answer)).toMatch(/Resolved by the experts/);
    const local = String(image?.image_url).replace(PUBLIC, h.url);
    const res = await fetch(local);
    expect(res.status).toBe(200);
    const png = PNG.sync.read(Buffer.from(await res.arrayBuffer()));
    expect(png.width).toBeGreaterThan(1000); // drawn at 2×
    const tampered = await fetch(
      local.replace(/sig=([A-Za-z0-9_-])/, (_m, c: string) => `sig=${c === 'A' ? 'B' : 'A'}`),
    );
    expect(tampered.status).toBe(403);
    expect((await tampered.text()).length).toBeLessThan(100);
  });
});

describe('the SDM in Slack', () => {
  it('starts a check-in that is posted to the customer’s alert channel', async () => {
    const channel = `C0SOC${Math.floor(Math.random() * 1e6)}`;
    await mention('subscribe', 'U0ADMIN', channel);
    await h.standIn.waitFor(
      (c) => c.method === 'chat.postMessage' && c.args.channel === channel,
      'subscribe answer',
    );
    const dm = 'D0DANA';
    const ts = uniqueTs();
    await event(
      'message-im',
      { text: 'checkin start contoso', user: 'U0DANA', channel: dm, ts, event_ts: ts },
      'T0EXPERTS',
    );
    const card = await h.standIn.waitFor(
      (c) =>
        c.method === 'chat.postMessage' &&
        c.args.channel === channel &&
        /Readiness check-in #1/.test(blocksText(c)),
      'the checklist in the customer channel',
    );
    expect(blocksText(card)).toMatch(/Onboard the remaining devices/);
    await h.standIn.waitFor(
      (c) =>
        c.method === 'chat.postMessage' && c.args.channel === dm && /Posted check-in #1/.test(blocksText(c)),
      'the confirmation to the SDM',
    );
  });

  it('relays an escalation to the SDM’s DM and the SDM’s reply back into the customer’s thread', async () => {
    const channel = `C0SOC${Math.floor(Math.random() * 1e6)}`;
    await mention('escalate high the handoff reached us 3 hours late <!channel>', 'U0ALICE', channel);
    const toDana = await h.standIn.waitFor(
      (c) =>
        c.method === 'chat.postMessage' && c.args.channel === 'D0DANA' && /Escalation/.test(blocksText(c)),
      'the escalation in Dana’s DM',
    );
    expect(blocksText(toDana)).toMatch(/high severity/);
    expect(blocksText(toDana)).not.toContain('<!channel>');
    const customerRoot = await h.standIn.waitFor(
      (c) =>
        c.method === 'chat.postMessage' &&
        c.args.channel === channel &&
        /to your SDM Dana Reyes/.test(blocksText(c)),
      'the customer-side thread root',
    );
    const tsOf = (c: RecordedCall): string => String((c.result as { ts?: unknown } | null)?.ts ?? '');
    const rootTs = tsOf(toDana);
    const customerTs = tsOf(customerRoot);
    expect(rootTs).not.toBe('');
    const ts = uniqueTs();
    await event(
      'message-im',
      {
        text: 'On it — calling you at 3pm <@U0BOSS>',
        user: 'U0DANA',
        channel: 'D0DANA',
        thread_ts: rootTs,
        ts,
        event_ts: ts,
      },
      'T0EXPERTS',
    );
    const back = await h.standIn.waitFor(
      (c) =>
        c.method === 'chat.postMessage' &&
        c.args.channel === channel &&
        c.args.thread_ts === customerTs &&
        /3pm/.test(blocksText(c)),
      'the SDM’s reply in the customer’s thread',
    );
    expect(blocksText(back)).toMatch(/Your SDM \(Dana Reyes\)/);
    expect(blocksText(back)).not.toContain('<@U0BOSS>');
    expect(posts(channel).filter((c) => /3pm/.test(blocksText(c)))).toHaveLength(1);
  });
});
