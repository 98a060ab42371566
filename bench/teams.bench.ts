import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import express from 'express';
import { loadConfig } from '../bot/config/env.js';
import { teamsActivity } from '../test/support/bot-connector-activities.js';
import { startBotConnectorStandIn } from '../test/support/bot-connector-standin.js';
import type { BenchResult, Ratio } from './registry.js';
import { mib, percentile } from './stats.js';
import { createEchoBaselineRouter } from './teams-echo-baseline.js';

// The incident-status query ("incidents awaiting") through POST /api/messages of the real bot process —
// `npm start` itself (the compiled entry, whole composition: SQLite store, relay, timelines, metrics,
// Teams pacing) — against a bare botbuilder CloudAdapter echo bot in a process of its own with the same
// Bot Framework settings, so the same JWT validation against the stand-in's keys. Both post their reply to
// the stand-in's conversations API; this process is the stand-in and the load. Conversations are
// distinct and spread over 64 tenants, so Teams' pacing (7/s per conversation, 50/s per tenant) is on
// but not what is measured. The simulation is held still (SIMULATION_STEP_SECONDS=0) so both see a
// steady state. Each level runs bot and echo alternately, twice each; RSS is each process's peak
// during the level.
//
// BENCH_TEAMS_REQUESTS: requests per process per level (default 600); BENCH_CPU_PROF=<dir>: the bot
// process writes a V8 CPU profile there when it exits (node --cpu-prof); BENCH_TEAMS_DATA_DIR=<dir>:
// where the bot's SQLite database goes (default: the system temp directory), e.g. a tmpfs to see what
// the store's fsyncs cost; BENCH_TEAMS_NODE_FLAGS: extra node flags for the bot (e.g. V8 heap sizes).

const TENANTS = 64;
const LEVELS = [1, 8, 16, 32] as const;
const PER_LEVEL = Number(process.env.BENCH_TEAMS_REQUESTS ?? 600);
const RSS_BUDGET_MIB = 250;
const root = fileURLToPath(new URL('../', import.meta.url));
const tenantId = (i: number): string => `00000000-0000-4000-8000-${String(100_000_000_000 + i).slice(-12)}`;

/** Child (--serve-echo): only the bare echo bot, at /api/messages. */
function serveEcho(): void {
  const config = loadConfig({ ...process.env, LOG_LEVEL: 'silent' });
  const app = express();
  app.use(createEchoBaselineRouter(config, '/api/messages'));
  const server = app.listen(0, '127.0.0.1', () => {
    process.stdout.write(`listening on http://127.0.0.1:${(server.address() as AddressInfo).port}\n`);
  });
  process.stdin.on('end', () => process.exit(0));
  process.stdin.resume();
}

interface Run {
  readonly latencies: number[];
  readonly seconds: number;
  readonly failures: number;
  readonly rssPeak: number;
}

/** Resident set size of a process, in bytes (Linux /proc; NaN elsewhere). */
function rssOf(pid: number | undefined): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m?.[1] === undefined ? Number.NaN : Number(m[1]) * 1024;
  } catch {
    return Number.NaN;
  }
}

interface Target {
  readonly url: string;
  readonly pid: number | undefined;
}

/** Sends `count` activities with `concurrency` in flight; `from` numbers them across runs (fresh ids). */
async function load(
  target: Target,
  token: string,
  serviceUrl: string,
  count: number,
  concurrency: number,
  from: number,
): Promise<Run> {
  const latencies: number[] = [];
  let failures = 0;
  let next = 0;
  let rssPeak = rssOf(target.pid);
  const sampler = setInterval(() => {
    rssPeak = Math.max(rssPeak, rssOf(target.pid));
  }, 100);
  const started = performance.now();
  const worker = async (): Promise<void> => {
    for (let i = next++; i < count; i = next++) {
      const n = from + i;
      const activity = teamsActivity('message-personal', {
        serviceUrl,
        tenantId: tenantId(n % TENANTS),
        conversationId: `a:1bench-${n}`,
        text: 'incidents awaiting',
      });
      const t0 = performance.now();
      const res = await fetch(target.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify(activity),
      });
      await res.arrayBuffer();
      latencies.push(performance.now() - t0);
      if (res.status !== 200) failures += 1;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const seconds = (performance.now() - started) / 1000;
  clearInterval(sampler);
  return { latencies, seconds, failures, rssPeak: Math.max(rssPeak, rssOf(target.pid)) };
}

const merge = (runs: readonly Run[]): Run => ({
  latencies: runs.flatMap((r) => r.latencies),
  seconds: runs.reduce((a, r) => a + r.seconds, 0),
  failures: runs.reduce((a, r) => a + r.failures, 0),
  rssPeak: Math.max(...runs.map((r) => r.rssPeak)),
});

const rate = (run: Run): number => run.latencies.length / run.seconds;
const fmt = (run: Run): string =>
  `${rate(run).toFixed(0).padStart(5)} req/s  p50 ${percentile(run.latencies, 50).toFixed(1).padStart(6)} ms  p99 ${percentile(run.latencies, 99).toFixed(1).padStart(6)} ms  RSS ${mib(run.rssPeak).padStart(10)}`;

/** Spawns a server process and resolves with its base URL once it says it is listening. */
async function spawnServer(args: readonly string[], env: Record<string, string>): Promise<ChildProcess> {
  const child = spawn(process.execPath, [...args], {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/root', ...env },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  return child;
}

const listening = (child: ChildProcess): Promise<string> =>
  new Promise<string>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`bench server exited (${code})`)));
    createInterface({ input: child.stdout as NodeJS.ReadableStream }).on('line', (line) => {
      const m = /listening on (http:\/\/[^\s—]+)/.exec(line);
      if (m?.[1]) resolve(m[1]);
    });
  });

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.stdin?.end();
  child.kill('SIGTERM');
  await exited;
}

/** Runs the benchmark; returns its printed lines and its ratios for the summary. */
export async function benchTeams(): Promise<BenchResult> {
  const s = await startBotConnectorStandIn();
  const dir = mkdtempSync(join(process.env.BENCH_TEAMS_DATA_DIR ?? tmpdir(), 'teams-bench-'));
  const tenantsFile = join(dir, 'tenants.yaml');
  writeFileSync(
    tenantsFile,
    ['customers:']
      .concat(
        Array.from({ length: TENANTS }, (_, i) =>
          [
            `  - id: customer-${i}`,
            `    name: Customer ${i}`,
            `    teams: { tenantId: ${tenantId(i)} }`,
          ].join('\n'),
        ),
      )
      .join('\n'),
  );
  const profile = process.env.BENCH_CPU_PROF;
  const flags = (process.env.BENCH_TEAMS_NODE_FLAGS ?? '').split(' ').filter((f) => f !== '');
  const bot = await spawnServer(
    [...flags, ...(profile ? ['--cpu-prof', `--cpu-prof-dir=${profile}`] : []), 'scripts/start.mjs'],
    {
      ...s.env('127.0.0.1'),
      PORT: '0',
      HOST: '127.0.0.1',
      DATA_DIR: join(dir, 'data'),
      TENANTS_FILE: tenantsFile,
      SIMULATION_STEP_SECONDS: '0',
      LOG_LEVEL: 'warn',
    },
  );
  const echo = await spawnServer(['--import', 'tsx', fileURLToPath(import.meta.url), '--serve-echo'], {
    ...s.env('127.0.0.1'),
  });
  try {
    const [botUrl, echoUrl] = await Promise.all([listening(bot), listening(echo)]);
    const targets = {
      bot: { url: `${botUrl}/api/messages`, pid: bot.pid },
      echo: { url: `${echoUrl}/api/messages`, pid: echo.pid },
    };
    const idle = { bot: rssOf(bot.pid), echo: rssOf(echo.pid) };
    const token = await s.channelToken();
    let n = 0;
    const run = async (target: Target, count: number, c: number): Promise<Run> => {
      const r = await load(target, token, s.serviceUrl, count, c, n);
      n += count;
      return r;
    };
    await run(targets.bot, 200, 8); // warm-up: JIT, token, OpenID keys, SQLite cache
    await run(targets.echo, 200, 8);
    const lines = [
      `${PER_LEVEL} requests per process per level; bot = npm start (compiled), echo = CloudAdapter (tsx)`,
      `RSS once started, before any request: bot ${mib(idle.bot)}, echo ${mib(idle.echo)}`,
    ];
    const ratios: Ratio[] = [];
    let botPeak = 0;
    for (const c of LEVELS) {
      const bots: Run[] = [];
      const echoes: Run[] = [];
      for (let round = 0; round < 2; round += 1) {
        bots.push(await run(targets.bot, Math.ceil(PER_LEVEL / 2), c));
        echoes.push(await run(targets.echo, Math.ceil(PER_LEVEL / 2), c));
      }
      const b = merge(bots);
      const e = merge(echoes);
      botPeak = Math.max(botPeak, b.rssPeak);
      const throughput = rate(b) / rate(e);
      const p50 = percentile(b.latencies, 50) / percentile(e.latencies, 50);
      const p99 = percentile(b.latencies, 99) / percentile(e.latencies, 99);
      const rss = b.rssPeak / e.rssPeak;
      lines.push(
        `c=${String(c).padStart(2)}  bot  ${fmt(b)}${b.failures > 0 ? `  (${b.failures} non-200!)` : ''}`,
        `      echo ${fmt(e)}${e.failures > 0 ? `  (${e.failures} non-200!)` : ''}`,
        `      ratios: throughput ${throughput.toFixed(2)}×  p50 ${p50.toFixed(2)}×  p99 ${p99.toFixed(2)}×  RSS ${rss.toFixed(2)}×`,
      );
      const at16 = c === 16;
      ratios.push(
        {
          what: `throughput c=${c}`,
          value: throughput,
          ...(at16 ? { goal: '≥ 0.80×', met: throughput >= 0.8 } : {}),
        },
        { what: `p50 c=${c}`, value: p50 },
        { what: `p99 c=${c}`, value: p99, ...(at16 ? { goal: '≤ 2.00×', met: p99 <= 2 } : {}) },
        { what: `RSS c=${c}`, value: rss },
      );
    }
    const budget = botPeak / (RSS_BUDGET_MIB * 1024 * 1024);
    // Where the bot's memory is after the load, from its own /metrics (V8 heap vs the rest).
    const metrics = await (await fetch(`${botUrl}/metrics`)).text();
    const gauge = (name: string): number => Number(new RegExp(`^${name} (\\S+)`, 'm').exec(metrics)?.[1]);
    lines.push(
      `bot peak RSS under load ${mib(botPeak)} (budget ${RSS_BUDGET_MIB} MiB); after it: V8 heap ${mib(gauge('nodejs_heap_size_used_bytes'))} used of ${mib(gauge('nodejs_heap_size_total_bytes'))}, external ${mib(gauge('nodejs_external_memory_bytes'))}`,
      `replies recorded at the stand-in: ${s.calls.filter((c) => c.status === 200).length} of ${n} requests`,
    );
    ratios.push({
      what: `peak RSS ÷ ${RSS_BUDGET_MIB} MiB`,
      value: budget,
      goal: '≤ 1.00×',
      met: budget <= 1,
    });
    return { lines, ratios };
  } finally {
    await Promise.all([stop(bot), stop(echo)]);
    await s.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv.includes('--serve-echo')) serveEcho();
