import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, type TestBrowser } from '../../support/browser.js';
import { repoRoot } from '../../support/spawn-bot.js';

// `npm run playground` for real: the launcher starts the bot in Teams Playground mode and Microsoft 365
// Agents Playground (its real server and web UI), and headless Chromium drives the Playground as a
// developer would: a personal chat, a card button, an incident with guided response, then a channel where
// an @mention subscribes and a handoff from the simulation arrives as a proactive post. The Playground's
// own log panel must show no error status for anything the bot answered or posted. The browser may load
// only this machine: the Playground UI's font and animation requests to Microsoft's CDN are refused.

const ARTIFACTS = join(process.cwd(), 'test-artifacts', 'playground');

let launcher: ChildProcess;
let output = '';
let playgroundUrl = '';
let botUrl = '';
let playgroundPort = 0;
let dataDir: string;
let chromium: TestBrowser;
let page: Page;
const refusedOffMachine: string[] = [];

const freePort = (): Promise<number> =>
  new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  dataDir = mkdtempSync(join(tmpdir(), 'playground-e2e-'));
  playgroundPort = await freePort();
  launcher = spawn(process.execPath, ['--import', 'tsx', 'adapters/playground/launch.ts'], {
    cwd: repoRoot,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '/root',
      PORT: '0',
      PLAYGROUND_PORT: String(playgroundPort),
      DATA_DIR: dataDir,
      SIMULATION_STEP_SECONDS: '0',
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  await new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      botUrl ||= /listening on (http:\/\/[^\s—]+)/.exec(output)?.[1] ?? '';
      const open = /Playground is ready: open (http:\/\/localhost:\d+)/.exec(output);
      if (open?.[1] && botUrl !== '') {
        playgroundUrl = open[1];
        resolve();
      }
    };
    launcher.stdout?.on('data', onData);
    launcher.stderr?.on('data', onData);
    launcher.once('exit', (code) => reject(new Error(`npm run playground exited (${code}):\n${output}`)));
  });
  chromium = await launchChromium();
  const context = await chromium.browser.newContext({ viewport: { width: 1440, height: 1000 } });
  page = await context.newPage();
  await page.route('**/*', (route) => {
    const host = new URL(route.request().url()).hostname;
    if (host === 'localhost' || host === '127.0.0.1') return route.continue();
    refusedOffMachine.push(host);
    return route.abort();
  });
  await page.goto(playgroundUrl, { waitUntil: 'load' });
}, 180_000);

afterAll(async () => {
  await chromium?.close();
  if (launcher?.exitCode === null) {
    launcher.kill('SIGTERM');
    await new Promise((r) => launcher.once('exit', r));
  }
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

const shot = (name: string) => page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });

/** The compose box of the open conversation (a channel also has one per thread: the new-post box is first). */
const composer = (): Locator => page.locator('[data-lexical-editor="true"]');

async function say(text: string, box: Locator = composer().last()): Promise<void> {
  await box.click();
  await page.keyboard.type(text);
  await page.keyboard.press('Enter');
}

/** The Playground's log panel, as text (one entry per line). */
const logPanel = (): Promise<string> =>
  page.evaluate(() => {
    const heading = [...document.querySelectorAll('*')].find((e) => e.textContent?.trim() === 'Log Panel');
    let box: Element | null | undefined = heading;
    while (box && !(box as HTMLElement).textContent.includes('Current version')) box = box.parentElement;
    return box ? (box as HTMLElement).textContent : '';
  });

describe('Microsoft 365 Agents Playground with the bot (npm run playground)', () => {
  it('listens on loopback only', async () => {
    const external = Object.values(networkInterfaces())
      .flat()
      .filter((a) => a !== undefined && !a.internal && a.family === 'IPv4')
      .map((a) => a?.address ?? '');
    for (const address of external) {
      const outcome = await new Promise<string>((resolve) => {
        const socket = connect(playgroundPort, address);
        socket.once('connect', () => {
          socket.destroy();
          resolve('connected');
        });
        socket.once('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? 'error'));
      });
      expect(outcome, `${address}:${playgroundPort}`).toBe('ECONNREFUSED');
    }
  });

  it('personal chat: help, incidents awaiting, a card button, incident with guided response', async () => {
    await page.getByText('Personal Chat', { exact: true }).click();
    await say('help');
    await expect
      .poll(() => page.getByText('unsubscribe (admin, in a channel)').count(), { timeout: 30_000 })
      .toBeGreaterThan(0);
    await say('incidents awaiting');
    const heading = page.getByText(/^Awaiting your action — \d+ incidents?$/).last();
    await heading.waitFor({ timeout: 30_000 });
    await shot('1-personal-awaiting');

    // A click on a card button (Action.Execute, an invoke the Playground sends to the bot).
    const open = page.getByRole('button', { name: /^Open \d+$/ }).first();
    const name = (await open.textContent()) ?? '';
    const first = /\d+/.exec(name)?.[0] ?? '';
    await open.click();
    await page
      .getByText('Defender Experts handed this incident over to you.')
      .first()
      .waitFor({ timeout: 30_000 });
    await expect
      .poll(() => page.getByRole('button', { name: 'I’ve completed this action' }).count())
      .toBeGreaterThan(0);
    await shot('2-personal-card-click');

    const other = await page
      .getByRole('button', { name: /^Open \d+$/ })
      .evaluateAll(
        (buttons, skip) =>
          buttons.map((b) => /\d+/.exec(b.textContent ?? '')?.[0]).find((id) => id && id !== skip),
        first,
      );
    expect(other).toBeTruthy();
    await say(`incident ${other}`);
    await expect
      .poll(() => page.getByText(new RegExp(`#${other}\\b`)).count(), { timeout: 30_000 })
      .toBeGreaterThan(0);
    await expect.poll(() => page.getByRole('button', { name: 'Run now' }).count()).toBeGreaterThan(0);
    await shot('3-personal-incident-guided-response');

    // Reports: the card comes (its chart and CSV links need PUBLIC_BASE_URL over https, so not here).
    await say('report 30d');
    await page
      .getByText(/^Defender Experts report$/)
      .last()
      .waitFor({ timeout: 30_000 });
    await shot('3b-personal-report');
  }, 180_000);

  it('a channel: @mention subscribe, then a handoff arrives as a proactive post', async () => {
    await page.getByText('Security alerts', { exact: true }).click();
    const newPost = composer().first();
    await newPost.click();
    await page.keyboard.type('@Defender');
    await page.getByRole('menuitem', { name: /Defender Experts/ }).click();
    await page.keyboard.type(' subscribe');
    await shot('4a-channel-mention');
    await page.getByRole('button', { name: 'Post', exact: true }).click();
    await page
      .getByText('Incident alerts for Contoso Ltd')
      .first()
      .waitFor({ timeout: 30_000 })
      .catch(async (e) => {
        await shot('4x-channel-subscribe-failed');
        throw e;
      });
    await shot('4-channel-subscribed');

    // The experts hand an incident over in the simulation (the console's expert panel API).
    const sim = async (move: string, body: Record<string, unknown>) => {
      const res = await fetch(`${botUrl}/console/api/sim/${move}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ personaId: 'expert', customerId: 'contoso', ...body }),
      });
      const json = (await res.json()) as { incident?: { id: string; title: string } };
      expect(res.status, JSON.stringify(json)).toBe(200);
      return json.incident;
    };
    const created = await sim('create', {});
    if (created === undefined) throw new Error('the simulation created no incident');
    await sim('start', { incidentId: created.id });
    await sim('classify', {
      incidentId: created.id,
      classification: 'truePositive',
      determination: 'malware',
      summary: 'Confirmed malware on one device; isolate it and reset the user.',
    });
    await sim('handoff', { incidentId: created.id });
    // Posted by the bot on its own (createConversation at the Playground's connector), not as a reply.
    const alert = page.getByText(new RegExp(`^Incident ${created.id} · `));
    await expect.poll(() => alert.count(), { timeout: 60_000 }).toBeGreaterThan(0);
    await expect
      .poll(() => page.getByText('Action needed: handed off to you by Defender Experts').count())
      .toBeGreaterThan(0);
    expect(await page.getByText(created.title).count()).toBeGreaterThan(0);
    await shot('5-channel-proactive-handoff');
  }, 180_000);

  it('the log panel shows no error status for any bot response', async () => {
    const log = await logPanel();
    const entries = [...log.matchAll(/\b([a-z][A-Za-z]+) (\d{3})\b/g)];
    const statuses = entries.map((m) => `${m[1]} ${m[2]}`);
    expect(statuses.filter((s) => s.startsWith('invoke')).length).toBeGreaterThan(0);
    expect(statuses).toContain('createConversation 201');
    expect(statuses.filter((s) => s === 'message 201').length).toBeGreaterThan(3);
    expect(statuses.filter((s) => Number(s.split(' ')[1]) >= 400)).toEqual([]);
    expect(log).not.toMatch(/\bError\b/);
    // Nothing outside this machine was reached: only the UI's CDN requests were made, and refused.
    expect(refusedOffMachine.filter((h) => !/^res(-1)?\.cdn\.office\.net$/.test(h))).toEqual([]);
    expect(output).not.toMatch(/\[loopback-only\] refused/);
    await shot('6-log-panel');
  });
});
