import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { spawnBot } from '../../support/spawn-bot.js';

// `npm start` as an operator runs it: the embedded default comes up, endpoints answer, secrets stay out of
// the log, SIGTERM closes cleanly, and bad configuration or a corrupt database stops start-up clearly.

const dataDir = (): string => mkdtempSync(join(tmpdir(), 'deb-proc-'));

describe('the bot process', () => {
  it('starts on the embedded default, serves its endpoints and stops cleanly on SIGTERM', async () => {
    const dir = dataDir();
    const bot = spawnBot({
      DATA_DIR: dir,
      LOG_LEVEL: 'debug',
      MicrosoftAppPassword: 'S3CRET-teams-pw',
      MicrosoftAppId: 'app-id',
      SLACK_BOT_TOKEN: 'xoxb-S3CRET',
      // Beside real platform credentials the console is off unless forced on, with a warning.
      DEV_CONSOLE: 'on',
    });
    const url = await bot.ready;

    expect(await (await fetch(`${url}/healthz`)).json()).toEqual({ status: 'ok' });
    const ready = await fetch(`${url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ store: 'ok', source: 'ok' });
    expect(await (await fetch(`${url}/`)).text()).toMatch(/<html/i);
    expect(bot.output()).toMatch(/dev console is on \(DEV_CONSOLE=on\) while Teams is configured/);

    const slack = await fetch(`${url}/slack/events`, {
      method: 'POST',
      body: '{}',
      headers: { 'content-type': 'application/json' },
    });
    expect(slack.status).toBe(503);
    expect(await slack.json()).toMatchObject({
      error: 'slack_not_configured',
      missing: ['SLACK_SIGNING_SECRET'],
    });
    // The Teams adapter is mounted (app id and password set): a request without a Bot Framework token is 401.
    const teams = await fetch(`${url}/api/messages`, {
      method: 'POST',
      body: '{}',
      headers: { 'content-type': 'application/json' },
    });
    expect(teams.status).toBe(401);
    expect(await teams.json()).toMatchObject({ error: 'unauthorized' });

    const metrics = await (await fetch(`${url}/metrics`)).text();
    expect(metrics).toMatch(/# TYPE bot_turn_duration_seconds histogram/);
    expect(metrics).toMatch(/process_cpu_user_seconds_total/);

    bot.child.kill('SIGTERM');
    const exit = await bot.exited;
    expect(exit.code).toBe(0);
    expect(bot.output()).toMatch(/shutting down/);
    expect(bot.output()).not.toMatch(/S3CRET/);
    expect(bot.output()).toMatch(/"MicrosoftAppPassword":"\[(set|redacted)\]"/);
    // The store was closed: SQLite checkpointed and removed its write-ahead log.
    expect(existsSync(join(dir, 'defender-experts-bot.sqlite'))).toBe(true);
    expect(existsSync(join(dir, 'defender-experts-bot.sqlite-wal'))).toBe(false);
  });

  it('answers 503 naming MicrosoftAppId when Teams is not configured', async () => {
    const bot = spawnBot({ DATA_DIR: dataDir(), LOG_LEVEL: 'silent' });
    const url = await bot.ready;
    const res = await fetch(`${url}/api/messages`, {
      method: 'POST',
      body: '{}',
      headers: { 'content-type': 'application/json' },
    });
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({
      error: 'teams_not_configured',
      missing: ['MicrosoftAppId', 'MicrosoftAppPassword'],
    });
    bot.child.kill('SIGTERM');
    expect((await bot.exited).code).toBe(0);
  });

  it('stops with one line per configuration problem', async () => {
    const bot = spawnBot({
      DATA_DIR: dataDir(),
      PORT: 'eighty',
      POLL_INTERVAL_SECONDS: '0',
      MicrosoftAppPassword: 'S3CRET',
    });
    const exit = await bot.exited;
    expect(exit.code).toBe(1);
    const out = bot.output();
    expect(out).toMatch(/configuration has 3 problem/);
    expect(out).toMatch(/- PORT: must be a whole number/);
    expect(out).toMatch(/- POLL_INTERVAL_SECONDS: /);
    expect(out).toMatch(/- MicrosoftAppId: /);
    expect(out).not.toMatch(/S3CRET/);
  });

  it('stops on a malformed customers file, naming the file and the path inside it', async () => {
    const dir = dataDir();
    const file = join(dir, 'customers.yaml');
    writeFileSync(file, 'customers:\n  - id: contoso\n    name: Contoso\n    expertsAccess: owner\n');
    const bot = spawnBot({ DATA_DIR: dir, TENANTS_FILE: file });
    expect((await bot.exited).code).toBe(1);
    expect(bot.output()).toContain(`${file}: customers[0].expertsAccess: must be reader or operator`);
  });

  it('refuses a corrupt database and leaves it untouched', async () => {
    const dir = dataDir();
    const db = join(dir, 'defender-experts-bot.sqlite');
    const garbage = Buffer.from('this is not a database, but it is somebody’s data '.repeat(200));
    writeFileSync(db, garbage);
    const bot = spawnBot({ DATA_DIR: dir });
    expect((await bot.exited).code).toBe(1);
    expect(bot.output()).toContain(db);
    expect(readFileSync(db).equals(garbage)).toBe(true);
  });
});
