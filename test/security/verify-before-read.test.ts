import { mkdtempSync, rmSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { teamsActivity } from '../support/bot-connector-activities.js';
import { type BotConnectorStandIn, startBotConnectorStandIn } from '../support/bot-connector-standin.js';
import { forgedCases } from '../support/bot-connector-tokens.js';
import { type SpawnedBot, spawnBot } from '../support/spawn-bot.js';

// Unauthenticated work at /api/messages, tried on the real process with the Bot Connector stand-in as the
// channel: a token that is shaped right but not signed by the channel is refused before one byte of its
// body is read (the server answers while the body is still unsent, and closes); an oversized body is
// refused by its declared length; a deeply nested one is refused before parsing; a sender that never
// finishes its headers is cut off long before Node's five-minute default.

let s: BotConnectorStandIn;
let bot: SpawnedBot;
let url: URL;
let dataDir: string;
let forged = '';

beforeAll(async () => {
  s = await startBotConnectorStandIn();
  dataDir = mkdtempSync(join(tmpdir(), 'sec-verify-'));
  bot = spawnBot({
    ...s.env('127.0.0.1'),
    DATA_DIR: dataDir,
    SIMULATION_STEP_SECONDS: '0',
    LOG_LEVEL: 'warn',
  });
  url = new URL(await bot.ready);
  const rogue = (await forgedCases(s)).find((c) => c.name === 'signed by another key under the channel kid');
  forged = rogue?.authorization ?? '';
  expect(forged).toMatch(/^Bearer /);
});
afterAll(async () => {
  bot?.child.kill('SIGTERM');
  await bot?.exited;
  await s?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

interface Exchange {
  readonly socket: Socket;
  /** Everything the server sent, once it closed the connection. */
  readonly closed: Promise<string>;
  /** The first chunk of the server's answer. */
  readonly answered: Promise<string>;
}

/** Opens a raw connection and writes `head` (request line and headers) and nothing else. */
function open(head: string): Exchange {
  const socket = connect(Number(url.port), url.hostname);
  let text = '';
  let first: (s: string) => void = () => undefined;
  const answered = new Promise<string>((resolve) => {
    first = resolve;
  });
  const closed = new Promise<string>((resolve) => {
    socket.on('data', (c: Buffer) => {
      text += c.toString('utf8');
      first(text);
    });
    socket.on('close', () => resolve(text));
    socket.on('error', () => resolve(text));
  });
  socket.write(head);
  return { socket, closed, answered };
}

const headers = (authorization: string, length: number): string =>
  [
    'POST /api/messages HTTP/1.1',
    `Host: ${url.host}`,
    'Content-Type: application/json',
    `Authorization: ${authorization}`,
    `Content-Length: ${length}`,
    '',
    '',
  ].join('\r\n');

const status = (raw: string): number => Number(/^HTTP\/1\.1 (\d{3})/.exec(raw)?.[1] ?? 0);

describe('the token is verified before the body is read', () => {
  it('refuses a forged token while its 90 KB body is still unsent, and closes the connection', async () => {
    const ex = open(headers(forged, 90_000));
    const raw = await ex.answered;
    // Not one body byte was written: the answer cannot depend on the body.
    expect(ex.socket.bytesWritten).toBe(Buffer.byteLength(headers(forged, 90_000)));
    expect(status(raw)).toBe(401);
    await ex.closed;
    expect(ex.socket.destroyed || ex.socket.readableEnded).toBe(true);
  });

  it('answers a forged token 401 whatever the body, never as a parse error', async () => {
    const junk = '{'.repeat(5_000);
    const ex = open(`${headers(forged, junk.length)}${junk}`);
    expect(status(await ex.answered)).toBe(401);
    ex.socket.destroy();
  });
});

describe('what a valid token may send', () => {
  it('refuses a body declared over the limit by its length, unread', async () => {
    const token = `Bearer ${await s.channelToken()}`;
    const ex = open(headers(token, 200_000));
    expect(status(await ex.answered)).toBe(413);
    expect(ex.socket.bytesWritten).toBe(Buffer.byteLength(headers(token, 200_000)));
    ex.socket.destroy();
  });

  it('refuses JSON nested deeper than any activity before parsing it', async () => {
    const token = `Bearer ${await s.channelToken()}`;
    const activity = JSON.stringify(
      teamsActivity('message-personal', { serviceUrl: s.serviceUrl, appId: s.appId }),
    );
    const deep = `${activity.slice(0, -1)},"x":${'['.repeat(200)}${']'.repeat(200)}}`;
    const ex = open(`${headers(token, Buffer.byteLength(deep))}${deep}`);
    const raw = await ex.answered;
    expect(status(raw)).toBe(400);
    expect(s.calls).toEqual([]);
    ex.socket.destroy();
  });
});

describe('read timeouts', () => {
  it('drops a sender that never finishes its headers', { timeout: 40_000 }, async () => {
    const ex = open('POST /api/messages HTTP/1.1\r\nHost: x\r\n');
    const raw = await ex.closed;
    expect(raw === '' || status(raw) === 408).toBe(true);
  });
});
