import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { type SlackBotHarness, startSlackBot, uniqueTs } from '../../support/slack-harness.js';
import { fixture } from '../../support/slack-signing.js';

// Socket Mode (SLACK_APP_TOKEN): the bot opens the connection itself — apps.connections.open on the
// stand-in hands out a loopback WebSocket — acknowledges each envelope, and answers through the Web API
// and response_url exactly as over HTTP. No HTTP route is used; nothing connects anywhere else.

let h: SlackBotHarness;
let wss: WebSocket.Server;
let socket: Promise<WebSocket>;
const received: Record<string, unknown>[] = [];

beforeAll(async () => {
  // ws is bolt's own dependency (the Socket Mode client uses it); the stand-in uses the same package.
  wss = new WebSocket.Server({ host: '127.0.0.1', port: 0 });
  await new Promise((resolve) => wss.once('listening', resolve));
  socket = new Promise((resolve) =>
    wss.once('connection', (ws) => {
      ws.on('message', (data: WebSocket.Data) =>
        received.push(JSON.parse(String(data)) as Record<string, unknown>),
      );
      ws.send(JSON.stringify({ type: 'hello', num_connections: 1, connection_info: { app_id: 'A0DXBAPP' } }));
      resolve(ws);
    }),
  );
  const port = (wss.address() as AddressInfo).port;
  h = await startSlackBot({ SLACK_SIGNING_SECRET: '', SLACK_APP_TOKEN: 'xapp-1-test-socket' }, (standIn) => {
    standIn.socketUrl = `ws://127.0.0.1:${port}/link`;
  });
});
afterAll(async () => {
  await h?.close();
  for (const c of wss?.clients ?? []) c.terminate();
  await new Promise((resolve) => wss?.close(resolve));
});

async function ackOf(envelopeId: string): Promise<Record<string, unknown>> {
  for (let i = 0; i < 1500; i += 1) {
    const ack = received.find((m) => m.envelope_id === envelopeId);
    if (ack !== undefined) return ack;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`no ack for ${envelopeId}`);
}

describe('Slack Socket Mode', () => {
  it('connects with the app token through the configured API URL', async () => {
    await socket;
    const open = h.standIn.of('apps.connections.open')[0];
    expect(open?.token).toBe('xapp-1-test-socket');
  });

  it('acknowledges a slash command envelope and answers it through response_url', async () => {
    const ws = await socket;
    const hook = `sock-${randomUUID()}`;
    const payload = {
      ...fixture<Record<string, string>>('slash-command'),
      text: 'help',
      channel_id: 'C0SOCK',
      response_url: h.standIn.responseUrl(hook),
      trigger_id: `t-${randomUUID()}`,
    };
    ws.send(
      JSON.stringify({
        envelope_id: 'env-cmd-1',
        type: 'slash_commands',
        accepts_response_payload: true,
        payload,
      }),
    );
    expect(await ackOf('env-cmd-1')).toMatchObject({ envelope_id: 'env-cmd-1' });
    const answer = await h.standIn.waitFor((c) => c.method === `hook:${hook}`, 'the answer');
    expect(JSON.stringify(answer.args)).toContain('What I can do');
  });

  it('acknowledges an event envelope and answers the mention in its thread with the bot token', async () => {
    const ws = await socket;
    const ts = uniqueTs();
    const body = fixture('app-mention');
    const event = {
      ...body,
      event_id: `Ev${randomUUID().slice(0, 8)}`,
      event: { ...(body.event as object), text: '<@UBOT> help', ts, event_ts: ts, channel: 'C0SOCK2' },
    };
    ws.send(
      JSON.stringify({
        envelope_id: 'env-ev-1',
        type: 'events_api',
        accepts_response_payload: false,
        payload: event,
        retry_attempt: 0,
      }),
    );
    await ackOf('env-ev-1');
    const answer = await h.standIn.waitFor(
      (c) => c.method === 'chat.postMessage' && c.args.thread_ts === ts,
      'the threaded answer',
    );
    expect(answer.token).toBe('xoxb-test-0000-slack-token');
  });

  it('serves no HTTP endpoint for Slack', async () => {
    const res = await fetch(`${h.url}/slack/events`, {
      method: 'POST',
      body: '{}',
      headers: { 'content-type': 'application/json' },
    });
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ error: 'slack_socket_mode' });
  });
});
