import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import express from 'express';
import { createSimulatedSource } from '../adapters/simulated/simulated-source.js';
import { createSqliteStore } from '../adapters/sqlite/sqlite-store.js';
import { createTeamsAdapter } from '../adapters/teams/index.js';
import { createBot } from '../bot/bot.js';
import { parseCustomersFile } from '../bot/config/customers-file.js';
import { loadConfig } from '../bot/config/env.js';
import { type Logger, systemClock } from '../bot/ports.js';
import { createIncidentSync } from '../bot/sync/incident-sync.js';
import { teamsActivity } from '../test/support/bot-connector-activities.js';
import { startBotConnectorStandIn } from '../test/support/bot-connector-standin.js';
import { percentile } from './stats.js';
import { createEchoBaselineRouter } from './teams-echo-baseline.js';

// The incident-status query through POST /api/messages with real Bot Framework JWT validation (tokens from
// the stand-in's keys) and the reply posted to the stand-in's conversations API — against a bare
// botbuilder CloudAdapter echo bot on the same express server, same run, same tokens. The server runs in a
// child process (NODE_EXTRA_CA_CERTS must be set at start for the HTTPS stand-in); this process is the
// stand-in and the load. Conversations are distinct and spread over 64 tenants, so Teams' pacing (7/s per
// conversation, 50/s per tenant) is not what is measured.

const TENANTS = 64;
const LEVELS = [1, 8, 32] as const;
const PER_LEVEL = 600;
const silent: Logger = { debug() {}, info() {}, warn() {}, error() {} };
const tenantId = (i: number): string => `00000000-0000-4000-8000-${String(100_000_000_000 + i).slice(-12)}`;

/** Child: the bot (full adapter + core) at /api/messages and the bare echo bot at /baseline/api/messages. */
async function serve(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'teams-bench-'));
  const config = loadConfig({ ...process.env, DATA_DIR: dir, LOG_LEVEL: 'silent' });
  const yaml = ['customers:']
    .concat(
      Array.from({ length: TENANTS }, (_, i) =>
        [`  - id: customer-${i}`, `    name: Customer ${i}`, `    teams: { tenantId: ${tenantId(i)} }`].join(
          '\n',
        ),
      ),
    )
    .join('\n');
  const directory = parseCustomersFile('bench.yaml', yaml);
  const store = await createSqliteStore({ file: join(dir, 'bench.sqlite'), logger: silent });
  const source = createSimulatedSource({
    customers: directory.customers,
    seed: 3,
    clock: systemClock,
    initialIncidentsPerCustomer: 24,
  });
  await createIncidentSync({ store, source, directory, logger: silent }).syncAll();
  const bot = createBot({ store, source, directory, clock: systemClock, logger: silent });
  const teams = createTeamsAdapter(config, { directory, store, clock: systemClock, logger: silent });
  teams.bind(bot);
  await teams.start();
  const app = express();
  app.use(teams.router);
  app.use(createEchoBaselineRouter(config, '/baseline/api/messages'));
  const server: Server = app.listen(0, '127.0.0.1', () => {
    process.stdout.write(`listening http://127.0.0.1:${(server.address() as AddressInfo).port}\n`);
  });
  process.stdin.on('end', () => {
    server.close();
    void store.close().then(() => rmSync(dir, { recursive: true, force: true }));
    process.exit(0);
  });
  process.stdin.resume();
}

interface Run {
  readonly latencies: number[];
  readonly seconds: number;
  readonly failures: number;
}

/** Sends `count` activities with `concurrency` in flight; `n` numbers them across runs (fresh ids). */
async function load(
  url: string,
  token: string,
  serviceUrl: string,
  count: number,
  concurrency: number,
  from: number,
): Promise<Run> {
  const latencies: number[] = [];
  let failures = 0;
  let next = 0;
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
      const res = await fetch(url, {
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
  return { latencies, seconds: (performance.now() - started) / 1000, failures };
}

const merge = (runs: readonly Run[]): Run => ({
  latencies: runs.flatMap((r) => r.latencies),
  seconds: runs.reduce((a, r) => a + r.seconds, 0),
  failures: runs.reduce((a, r) => a + r.failures, 0),
});

const fmt = (run: Run): string =>
  `${(run.latencies.length / run.seconds).toFixed(0).padStart(5)} req/s  p50 ${percentile(run.latencies, 50).toFixed(2).padStart(6)} ms  p99 ${percentile(run.latencies, 99).toFixed(2).padStart(6)} ms`;

/** Runs the benchmark and returns its printed lines. */
export async function benchTeams(): Promise<string[]> {
  const s = await startBotConnectorStandIn();
  const child: ChildProcess = spawn(
    process.execPath,
    ['--import', 'tsx', fileURLToPath(import.meta.url), '--serve'],
    {
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/root', ...s.env('127.0.0.1') },
      stdio: ['pipe', 'pipe', 'inherit'],
    },
  );
  try {
    const base = await new Promise<string>((resolve, reject) => {
      child.once('exit', (code) => reject(new Error(`bench server exited (${code})`)));
      createInterface({ input: child.stdout as NodeJS.ReadableStream }).on('line', (line) => {
        const m = /^listening (\S+)/.exec(line);
        if (m?.[1]) resolve(m[1]);
      });
    });
    const token = await s.channelToken();
    const bot = `${base}/api/messages`;
    const echo = `${base}/baseline/api/messages`;
    let n = 0;
    const run = async (url: string, count: number, c: number) => {
      const r = await load(url, token, s.serviceUrl, count, c, n);
      n += count;
      return r;
    };
    await run(bot, 200, 8); // warm-up: JIT, token, OpenID keys, SQLite cache
    await run(echo, 200, 8);
    const lines = [
      '',
      '== Teams: incident status through /api/messages (JWT validated, reply posted) vs bare CloudAdapter echo',
    ];
    for (const c of LEVELS) {
      const bots: Run[] = [];
      const echoes: Run[] = [];
      for (let round = 0; round < 2; round += 1) {
        bots.push(await run(bot, PER_LEVEL / 2, c));
        echoes.push(await run(echo, PER_LEVEL / 2, c));
      }
      const b = merge(bots);
      const e = merge(echoes);
      const ratio = b.latencies.length / b.seconds / (e.latencies.length / e.seconds);
      lines.push(
        `concurrency ${String(c).padStart(2)}: bot ${fmt(b)} | echo ${fmt(e)} | throughput ratio ${ratio.toFixed(2)}×, p50 ratio ${(percentile(b.latencies, 50) / percentile(e.latencies, 50)).toFixed(2)}×${b.failures + e.failures > 0 ? `  (${b.failures}/${e.failures} non-200!)` : ''}`,
      );
    }
    lines.push(
      `replies recorded at the stand-in: ${s.calls.filter((c) => c.status === 200).length} (every request answered)`,
    );
    return lines;
  } finally {
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.stdin?.end();
    await exited;
    await s.close();
  }
}

if (process.argv.includes('--serve')) await serve();
