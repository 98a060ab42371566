import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, request, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PLAYGROUND_USER_AAD_ID } from '../../../bot/config/demo-customers.js';
import { type ActivityJson, teamsActivity } from '../../support/bot-connector-activities.js';
import { repoRoot, type SpawnedBot, spawnBot } from '../../support/spawn-bot.js';

// The real bot process in Teams Playground mode (TEAMS_PLAYGROUND=on), in front of a recording stand-in for
// the Playground's connector: the Playground's own activities are answered there, with no token; anything
// else is refused and nothing is sent anywhere. Start-up refuses the mode with an app id or a public HOST,
// and without the setting /api/messages is exactly the 503 it always was.

interface Recorded {
  readonly method: string;
  readonly path: string;
  readonly authorization: string | undefined;
  readonly body: Record<string, unknown>;
}

async function recorder(): Promise<{ server: Server; port: number; calls: Recorded[] }> {
  const calls: Recorded[] = [];
  const server = createServer((req: IncomingMessage, res) => {
    let raw = '';
    req.on('data', (c: Buffer) => {
      raw += c.toString();
    });
    req.on('end', () => {
      calls.push({
        method: req.method ?? '',
        path: req.url ?? '',
        authorization: req.headers.authorization,
        body: raw === '' ? {} : (JSON.parse(raw) as Record<string, unknown>),
      });
      res.writeHead(201, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ id: `reply-${calls.length}` }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as { port: number }).port, calls };
}

/** Starting a bot process takes seconds, many more on a loaded machine. */
const PROCESS_BUDGET_MS = 90_000;

let connector: Awaited<ReturnType<typeof recorder>>;
let elsewhere: Awaited<ReturnType<typeof recorder>>;
let bot: SpawnedBot;
let url: string;
let dataDir: string;

beforeAll(async () => {
  connector = await recorder();
  elsewhere = await recorder();
  dataDir = mkdtempSync(join(tmpdir(), 'playground-mode-'));
  bot = spawnBot({
    TEAMS_PLAYGROUND: 'on',
    PLAYGROUND_PORT: String(connector.port),
    DATA_DIR: dataDir,
    SIMULATION_STEP_SECONDS: '0',
    LOG_LEVEL: 'warn',
  });
  url = await bot.ready;
}, PROCESS_BUDGET_MS);

afterAll(async () => {
  bot?.child.kill('SIGTERM');
  await bot?.exited;
  for (const r of [connector, elsewhere])
    await new Promise<void>((done) => (r ? r.server.close(() => done()) : done()));
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

/** A personal-chat message as the Playground sends it: its connector, its user in Contoso's tenant. */
function playgroundMessage(
  text: string,
  serviceUrl = `http://localhost:${connector.port}/_connector`,
): ActivityJson {
  const activity = teamsActivity('message-personal', { serviceUrl, text });
  activity.from = { id: '29:contoso-alex', name: 'Alex Wilber', aadObjectId: PLAYGROUND_USER_AAD_ID };
  activity.recipient = { id: '28:defender-experts-playground', name: 'Defender Experts' };
  return activity;
}

const post = (activity: unknown, headers: Record<string, string> = { 'x-ms-agents-playground': 'true' }) =>
  fetch(`${url}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(activity),
  });

const settle = () => new Promise((r) => setTimeout(r, 300));

describe('Playground mode, the real process', () => {
  it('answers the Playground’s own activity at its connector, without a token', async () => {
    const activity = playgroundMessage('help');
    const res = await post(activity);
    expect(res.status).toBe(200);
    const reply = connector.calls.find((c) => c.path.includes(encodeURIComponent(activity.conversation.id)));
    expect(reply).toMatchObject({ method: 'POST', authorization: undefined });
    expect(reply?.path).toBe(
      `/_connector/v3/conversations/${encodeURIComponent(activity.conversation.id)}/activities/${encodeURIComponent(activity.id)}`,
    );
    // The Playground user is Contoso's admin: help lists subscribe.
    expect(JSON.stringify(reply?.body)).toMatch(/subscribe/);
  });

  it('refuses a request without the Playground header (403), sending nothing', async () => {
    const before = connector.calls.length;
    const res = await post(playgroundMessage('help'), {});
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({ error: 'playground_only' });
    await settle();
    expect(connector.calls.length).toBe(before);
  });

  it('refuses an activity whose serviceUrl is Teams itself, or another local port (403), sending nothing', async () => {
    const before = connector.calls.length;
    for (const serviceUrl of [
      'https://smba.trafficmanager.net/emea/',
      `http://localhost:${elsewhere.port}/_connector`,
      `http://localhost:${connector.port}/elsewhere`,
    ]) {
      const res = await post(playgroundMessage('help', serviceUrl));
      expect(res.status, serviceUrl).toBe(403);
      expect(await res.json()).toMatchObject({ error: 'service_url_refused' });
    }
    await settle();
    expect(connector.calls.length).toBe(before);
    expect(elsewhere.calls).toEqual([]);
  });

  it('refuses a browser page on this machine or behind a rebound DNS name (403), sending nothing', async () => {
    const before = connector.calls.length;
    const { port } = new URL(url);
    const body = JSON.stringify(playgroundMessage('incidents awaiting'));
    const asPage = (headers: Record<string, string>) =>
      new Promise<number>((done, fail) => {
        const req = request(
          { host: '127.0.0.1', port: Number(port), path: '/api/messages', method: 'POST', headers },
          (res) => {
            res.resume();
            done(res.statusCode ?? 0);
          },
        );
        req.on('error', fail);
        req.end(body);
      });
    const marker = { 'content-type': 'application/json', 'x-ms-agents-playground': 'true' };
    expect(await asPage({ ...marker, host: 'rebind.attacker.example' })).toBe(403);
    expect(await asPage({ ...marker, host: `rebind.attacker.example:${port}` })).toBe(403);
    expect(
      await asPage({ ...marker, host: `127.0.0.1:${port}`, origin: 'http://rebind.attacker.example' }),
    ).toBe(403);
    expect(await asPage({ ...marker, host: `localhost:${port}`, 'sec-fetch-site': 'same-origin' })).toBe(403);
    await settle();
    expect(connector.calls.length).toBe(before);
  });

  it('refuses an activity that is not from the Teams channel (401)', async () => {
    const activity = { ...playgroundMessage('help'), channelId: 'webchat' };
    expect((await post(activity)).status).toBe(401);
  });
});

describe('Playground mode at start-up', () => {
  const refused = async (env: Record<string, string>, line: RegExp) => {
    const child = spawnBot({ TEAMS_PLAYGROUND: 'on', DATA_DIR: dataDir, ...env });
    const { code } = await child.exited;
    expect(code).toBe(1);
    expect(child.output()).toMatch(line);
  };

  it(
    'stops with one clear line when MicrosoftAppId is set',
    async () => {
      await refused(
        { MicrosoftAppId: '00000000-0000-4000-8000-0000000000b0', MicrosoftAppPassword: 'secret-value' },
        /TEAMS_PLAYGROUND: on is refused while MicrosoftAppId is set/,
      );
    },
    PROCESS_BUDGET_MS,
  );

  it(
    'stops with one clear line beside real customers, a real incident source or a shared database',
    async () => {
      await refused(
        { TENANTS_FILE: '/nonexistent/customers.yaml' },
        /TEAMS_PLAYGROUND: on is refused with TENANTS_FILE/,
      );
      await refused(
        { INCIDENT_SOURCE: 'graph', GRAPH_CLIENT_ID: 'x', GRAPH_CLIENT_SECRET: 'y' },
        /TEAMS_PLAYGROUND: on is refused with INCIDENT_SOURCE=graph/,
      );
      await refused(
        { DATABASE_URL: 'postgres://root@127.0.0.1:5432/test' },
        /TEAMS_PLAYGROUND: on is refused with DATABASE_URL/,
      );
    },
    3 * PROCESS_BUDGET_MS,
  );

  it(
    'stops with one clear line when HOST is not loopback',
    async () => {
      await refused({ HOST: '0.0.0.0' }, /TEAMS_PLAYGROUND: on is refused with HOST=0\.0\.0\.0/);
    },
    PROCESS_BUDGET_MS,
  );
});

describe('without TEAMS_PLAYGROUND', () => {
  it(
    'answers the Playground’s activity 503 like any request without credentials',
    async () => {
      const plain = spawnBot({ DATA_DIR: mkdtempSync(join(tmpdir(), 'playground-off-')), LOG_LEVEL: 'warn' });
      try {
        const base = await plain.ready;
        const res = await fetch(`${base}/api/messages`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-ms-agents-playground': 'true' },
          body: JSON.stringify(playgroundMessage('help')),
        });
        expect(res.status).toBe(503);
        expect(await res.json()).toMatchObject({ error: 'teams_not_configured' });
      } finally {
        plain.child.kill('SIGTERM');
        await plain.exited;
      }
    },
    PROCESS_BUDGET_MS,
  );
});

describe('npm run playground refuses to start', () => {
  const launch = (env: Record<string, string>) =>
    spawnSync(process.execPath, ['--import', 'tsx', 'adapters/playground/launch.ts'], {
      cwd: repoRoot,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/root', DATA_DIR: dataDir, ...env },
      encoding: 'utf8',
      timeout: 60_000,
    });

  it(
    'when PLAYGROUND_PORT is taken (the Playground would silently move elsewhere)',
    () => {
      const run = launch({ PLAYGROUND_PORT: String(connector.port) });
      expect(run.status).toBe(1);
      expect(run.stderr).toContain(`PLAYGROUND_PORT ${connector.port} is in use`);
      expect(run.stdout).not.toMatch(/listening on/);
    },
    PROCESS_BUDGET_MS,
  );

  it(
    'with Bot Framework credentials or a public HOST',
    () => {
      const withId = launch({
        MicrosoftAppId: '00000000-0000-4000-8000-0000000000b0',
        MicrosoftAppPassword: 'x',
      });
      expect(withId.status).toBe(1);
      expect(withId.stderr).toMatch(
        /^Cannot start the Playground: TEAMS_PLAYGROUND: on is refused while MicrosoftAppId is set/m,
      );
      const publicHost = launch({ HOST: '0.0.0.0' });
      expect(publicHost.status).toBe(1);
      expect(publicHost.stderr).toMatch(/TEAMS_PLAYGROUND: on is refused with HOST=0\.0\.0\.0/);
    },
    PROCESS_BUDGET_MS,
  );
});
