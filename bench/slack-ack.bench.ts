import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { BUSY_TEXT } from '../adapters/slack/listeners/after-ack.js';
import { childBaseEnv } from '../test/support/child-env.js';
import { FORM, fixture, formBody, JSON_TYPE, SIGNING_SECRET, sign } from '../test/support/slack-signing.js';
import { type SlackStandIn, startSlackStandIn } from '../test/support/slack-standin.js';
import { type SpawnedBot, spawnBot } from '../test/support/spawn-bot.js';
import type { BenchResult, Ratio } from './registry.js';
import { serveBoltBaseline } from './slack-bolt-baseline.js';
import { percentile } from './stats.js';

// Slack acknowledgements under load: the real bot process (`npm start`: signature check, Bolt, the work
// queue, the core, SQLite, answers posted to the Slack Web API stand-in) against a bare Bolt ExpressReceiver
// app in its own process with the same signing secret, same run, same load. The load is open-loop (sent on
// schedule, not after the previous answer), signed as Slack signs: 80% `/experts incidents` from one channel
// per workspace (the busy-channel case), 20% @mentions in channels of their own, over two workspaces
// (3:1). Reported per rate: ack p50/p99, acks over 3 s (Slack would retry them), the server's peak RSS, and
// for the bot how many commands were answered, told "busy", or not answered by the end.
// BENCH_SLACK_SECONDS_50 / BENCH_SLACK_SECONDS_200 set the durations (default 30 s and 60 s; 0 skips);
// BENCH_SLACK_NODE_OPTIONS is given to the bot process (V8 heap flags, say).

const BOT_TOKEN = 'xoxb-bench-0000-slack-token';
const RATES = [
  { rate: 50, seconds: Number(process.env.BENCH_SLACK_SECONDS_50 ?? 30) },
  { rate: 200, seconds: Number(process.env.BENCH_SLACK_SECONDS_200 ?? 60) },
] as const;
const DRAIN_MS = 20_000;

interface Server {
  readonly url: string;
  readonly pid: number;
  stop(): Promise<void>;
}

async function startBot(standIn: SlackStandIn): Promise<Server> {
  const dir = mkdtempSync(join(tmpdir(), 'dxb-slack-bench-'));
  const bot: SpawnedBot = spawnBot({
    DATA_DIR: dir,
    LOG_LEVEL: 'error',
    SIMULATION_STEP_SECONDS: '0',
    DEV_CONSOLE: 'off',
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_API_URL: standIn.apiUrl,
    // V8 heap settings to try on the bot (its peak RSS under load is mostly heap headroom).
    ...(process.env.BENCH_SLACK_NODE_OPTIONS ? { NODE_OPTIONS: process.env.BENCH_SLACK_NODE_OPTIONS } : {}),
  });
  const url = await bot.ready;
  return {
    url,
    pid: bot.child.pid ?? 0,
    async stop() {
      bot.child.kill('SIGTERM');
      await bot.exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function startBaseline(): Promise<Server> {
  const child: ChildProcess = spawn(
    process.execPath,
    ['--import', 'tsx', fileURLToPath(import.meta.url), '--baseline'],
    { env: childBaseEnv(), stdio: ['pipe', 'pipe', 'inherit'] },
  );
  const url = await new Promise<string>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`baseline exited (${code})`)));
    createInterface({ input: child.stdout as NodeJS.ReadableStream }).on('line', (line) => {
      const m = /^listening (\S+)/.exec(line);
      if (m?.[1]) resolve(m[1]);
    });
  });
  return {
    url,
    pid: child.pid ?? 0,
    async stop() {
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.stdin?.end();
      await exited;
    },
  };
}

const rssOf = (pid: number): number => {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m?.[1] ? Number(m[1]) * 1024 : 0;
};

interface Run {
  readonly acks: number[];
  readonly failures: number;
  readonly peakRss: number;
  readonly hooks: readonly string[];
}

function request(
  standIn: SlackStandIn,
  run: string,
  n: number,
): { body: string; type: string; hook: string | null } {
  const fabrikam = n % 4 === 3;
  const team = fabrikam ? 'T0FABRIKAM' : 'T0CONTOSO';
  const user = fabrikam ? 'U0FABI' : 'U0ALICE';
  if (n % 5 === 4) {
    const ts = `${1_700_000_000 + n}.${String(n % 1_000_000).padStart(6, '0')}`;
    const base = fixture('app-mention');
    const body = {
      ...base,
      team_id: team,
      event_id: `Ev${run}${n}`,
      event: {
        ...(base.event as object),
        text: '<@UBOT> help',
        user,
        team,
        ts,
        event_ts: ts,
        channel: `C${run}${n}`.toUpperCase().slice(0, 20),
      },
    };
    return { body: JSON.stringify(body), type: JSON_TYPE, hook: null };
  }
  const hook = `${run}-${n}`;
  const fields = {
    ...fixture<Record<string, string>>('slash-command'),
    text: 'incidents',
    team_id: team,
    user_id: user,
    channel_id: fabrikam ? 'C0FABBUSY' : 'C0CONBUSY',
    response_url: standIn.responseUrl(hook),
    trigger_id: `${n}.${run}`,
  };
  return { body: formBody(fields), type: FORM, hook };
}

/** Sends `rate` signed requests a second for `seconds`, open-loop, sampling the server's RSS. */
async function load(standIn: SlackStandIn, server: Server, rate: number, seconds: number): Promise<Run> {
  const run = randomUUID().slice(0, 8);
  const acks: number[] = [];
  const hooks: string[] = [];
  let failures = 0;
  let peakRss = rssOf(server.pid);
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, rssOf(server.pid));
  }, 250);
  const total = rate * seconds;
  const pending: Promise<void>[] = [];
  const started = performance.now();
  let sent = 0;
  await new Promise<void>((resolve) => {
    const tick = setInterval(() => {
      const due = Math.min(total, Math.floor(((performance.now() - started) / 1000) * rate));
      for (; sent < due; sent += 1) {
        const r = request(standIn, run, sent);
        if (r.hook !== null) hooks.push(`hook:${r.hook}`);
        const timestamp = Math.floor(Date.now() / 1000);
        const t0 = performance.now();
        pending.push(
          fetch(`${server.url}/slack/events`, {
            method: 'POST',
            headers: {
              'content-type': r.type,
              'x-slack-request-timestamp': String(timestamp),
              'x-slack-signature': sign(SIGNING_SECRET, timestamp, r.body),
            },
            body: r.body,
          }).then(
            async (res) => {
              await res.arrayBuffer();
              acks.push(performance.now() - t0);
              if (res.status !== 200) failures += 1;
            },
            () => {
              acks.push(performance.now() - t0);
              failures += 1;
            },
          ),
        );
      }
      if (sent >= total) {
        clearInterval(tick);
        resolve();
      }
    }, 5);
  });
  await Promise.all(pending);
  clearInterval(sampler);
  peakRss = Math.max(peakRss, rssOf(server.pid));
  return { acks, failures, peakRss, hooks };
}

/** Waits until every command of the run got its answer or a busy reply, or the drain time is over. */
async function drain(
  standIn: SlackStandIn,
  server: Server,
  r: Run,
): Promise<{ answered: number; busy: number; peakRss: number }> {
  const wanted = new Set(r.hooks);
  const deadline = Date.now() + DRAIN_MS;
  let peakRss = r.peakRss;
  for (;;) {
    const seen = standIn.calls.filter((c) => wanted.has(c.method));
    const hooks = new Set(seen.map((c) => c.method));
    peakRss = Math.max(peakRss, rssOf(server.pid));
    if (hooks.size >= wanted.size || Date.now() > deadline) {
      const busy = seen.filter((c) => c.args.text === BUSY_TEXT).length;
      return { answered: hooks.size - busy, busy, peakRss };
    }
    await new Promise((res) => setTimeout(res, 200));
  }
}

/** Used and total V8 heap as the bot's /metrics reports them. */
async function heapOf(url: string): Promise<string> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const read = (name: string): number =>
    Number(new RegExp(`^${name} (\\S+)`, 'm').exec(text)?.[1] ?? Number.NaN);
  return `${mb(read('nodejs_heap_size_used_bytes'))} used of ${mb(read('nodejs_heap_size_total_bytes'))}`;
}

const mb = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(0)} MiB`;
const line = (label: string, r: Run): string =>
  `${label.padEnd(9)} ack p50 ${percentile(r.acks, 50).toFixed(1).padStart(7)} ms  p99 ${percentile(r.acks, 99).toFixed(1).padStart(7)} ms  over 3 s ${String(r.acks.filter((a) => a > 3_000).length).padStart(5)}/${r.acks.length}  peak RSS ${mb(r.peakRss).padStart(8)}${r.failures > 0 ? `  (${r.failures} not 200!)` : ''}`;

/** Runs the benchmark: its printed lines, and the goals as summary rows (ack p99 ratio, acks over 3 s, RSS). */
export async function benchSlackAck(): Promise<BenchResult> {
  const ratios: Ratio[] = [];
  const standIn = await startSlackStandIn();
  standIn.users.set('U0ALICE', { team_id: 'T0CONTOSO', name: 'alice' });
  standIn.users.set('U0FABI', { team_id: 'T0FABRIKAM', name: 'fabi' });
  const lines = ['the bot (npm start, answers to the Web API stand-in) vs a bare Bolt ExpressReceiver app'];
  try {
    for (const { rate, seconds } of RATES) {
      if (!(seconds > 0)) continue;
      // A fresh process for each: RSS and backlog of one rate do not carry into the next.
      const bare = await startBaseline();
      await load(standIn, bare, rate, Math.min(seconds, 2)); // warm-up: JIT
      const b = await load(standIn, bare, rate, seconds);
      await bare.stop();
      const bot = await startBot(standIn);
      await load(standIn, bot, Math.min(rate, 20), 2); // warm-up: JIT, SQLite cache, users.info
      const idle = rssOf(bot.pid);
      const idleHeap = await heapOf(bot.url);
      const r = await load(standIn, bot, rate, seconds);
      const d = await drain(standIn, bot, r);
      const heap = await heapOf(bot.url);
      await bot.stop();
      const withRss = { ...r, peakRss: d.peakRss };
      const p99 = percentile(r.acks, 99) / percentile(b.acks, 99);
      const slow = r.acks.filter((a) => a > 3_000).length;
      const peakMb = d.peakRss / 1_000_000;
      if (rate <= 50)
        ratios.push({ what: `ack p99 at ${rate} req/s`, value: p99, goal: '≤ 2×', met: p99 <= 2 });
      else {
        ratios.push({
          what: `acks over 3 s at ${rate} req/s`,
          value: slow,
          unit: 'acks',
          goal: '0',
          met: slow === 0,
        });
        ratios.push({
          what: `peak RSS at ${rate} req/s`,
          value: peakMb,
          unit: 'MB',
          goal: '≤ 300 MB',
          met: peakMb <= 300,
        });
      }
      lines.push(`${rate} req/s for ${seconds} s:`);
      lines.push(line('  bot', withRss));
      lines.push(line('  bare', b));
      lines.push(`  bot after warm-up: RSS ${mb(idle)}, V8 heap ${idleHeap}; after the run: V8 heap ${heap}`);
      lines.push(
        `  ratios bot/bare: p50 ${(percentile(r.acks, 50) / percentile(b.acks, 50)).toFixed(2)}×, p99 ${(percentile(r.acks, 99) / percentile(b.acks, 99)).toFixed(2)}×, RSS ${(d.peakRss / b.peakRss).toFixed(2)}×; commands answered ${d.answered}, told busy ${d.busy}, unanswered after ${DRAIN_MS / 1000} s ${r.hooks.length - d.answered - d.busy} of ${r.hooks.length}`,
      );
    }
  } finally {
    await standIn.close();
  }
  return { lines, ratios };
}

if (process.argv.includes('--baseline')) serveBoltBaseline(SIGNING_SECRET, BOT_TOKEN);
else if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href)
  for (const l of (await benchSlackAck()).lines) process.stdout.write(`${l}\n`);
