import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import express from 'express';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createReportFilesRouter,
  createReportLinks,
  REPORT_CSV_TTL_MS,
  REPORT_LINK_TTL_MS,
} from '../../../../adapters/http/report-files.js';
import { createLinkSigner } from '../../../../adapters/http/signed-links.js';
import { createSqliteStore, type SqliteStore } from '../../../../adapters/sqlite/sqlite-store.js';
import { createSdmStore } from '../../../../adapters/store/sdm/sdm-store.js';
import type { ReportFigures } from '../../../../bot/sdm/report-figures.js';
import { fixedClock } from '../../../support/core-harness.js';

// The signed chart and CSV routes on a real HTTP server over a real SQLite file: a valid link serves the
// file; a tampered, moved or expired one is refused (403 / 410) and serves nothing.

const clock = fixedClock('2026-11-27T09:00:00.000Z');
const signer = createLinkSigner('x'.repeat(40));
let dir = '';
let base: SqliteStore;
let server: Server;
let url = '';

const figures: ReportFigures = {
  customerId: 'contoso',
  customerName: 'Contoso Ltd',
  periodLabel: 'Last 30 days',
  periodKey: '30d',
  from: '2026-10-28T09:00:00.000Z',
  to: '2026-11-27T09:00:00.000Z',
  generatedAt: '2026-11-27T09:00:00.000Z',
  investigated: 4,
  resolvedByExperts: 2,
  resolvedWithYou: 1,
  stillOpen: 1,
  percentResolved: 75,
  avgHoursToResolve: 3,
  avgExpertsHours: 2,
  avgCustomerHours: 1,
  bySeverity: [{ label: 'High', count: 4 }],
  byCategory: [],
  bySource: [],
  topAssets: [{ label: 'WS-1', count: 2 }],
  rows: [],
};

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'deb-report-files-'));
  base = await createSqliteStore({ file: join(dir, 'bot.sqlite') });
  const store = await createSdmStore(base.host);
  await store.saveReport({
    id: 'r1',
    customerId: 'contoso',
    createdAt: clock.now().toISOString(),
    figures: JSON.stringify(figures),
  });
  const app = express();
  app.use(createReportFilesRouter({ signer, store, clock, logger: console }));
  server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const address = server.address();
  url = `http://127.0.0.1:${typeof address === 'object' && address !== null ? address.port : 0}`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await base.close();
  rmSync(dir, { recursive: true, force: true });
});

const links = () =>
  createReportLinks({ signer, publicBase: undefined, localBase: () => url }).urls(
    'contoso',
    'r1',
    'web',
    clock.now(),
  );

describe('signed report files', () => {
  it('serves the chart PNG and the CSV at a valid link', async () => {
    const l = links();
    if (l === null) throw new Error('no links for the console');
    const chart = await fetch(l.chart);
    expect(chart.status).toBe(200);
    expect(chart.headers.get('content-type')).toBe('image/png');
    const png = PNG.sync.read(Buffer.from(await chart.arrayBuffer()));
    expect(png.width).toBeGreaterThan(1000); // drawn at 2×
    const csv = await fetch(l.csv);
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-disposition')).toMatch(
      /attachment; filename="defender-experts-contoso-30d.csv"/,
    );
    expect(await csv.text()).toContain('Investigated,4,investigated');
  });

  it('refuses a tampered signature, a link moved to another report or file, and a missing one (403)', async () => {
    const l = links();
    if (l === null) throw new Error('no links');
    const sig = new URL(l.chart).searchParams.get('sig') ?? '';
    const flipped = `${sig.slice(0, -1)}${sig.endsWith('A') ? 'B' : 'A'}`;
    const bad = [
      l.chart.replace(`sig=${sig}`, `sig=${flipped}`),
      l.chart.replace('/r1/', '/r2/'),
      l.chart.replace('/contoso/', '/fabrikam/'),
      l.chart.replace('chart.png', 'report.csv'),
      l.chart.replace(/exp=\d+/, (m) => `exp=${Number(m.slice(4)) + 3600}`),
      l.chart.split('?')[0] ?? '',
    ];
    for (const u of bad) {
      const res = await fetch(u);
      expect(res.status, u).toBe(403);
      const body = Buffer.from(await res.arrayBuffer());
      expect(body.subarray(1, 4).toString()).not.toBe('PNG');
      expect(body.toString()).not.toContain('investigated');
    }
  });

  it('refuses an expired link (410) and serves nothing', async () => {
    const l = links();
    if (l === null) throw new Error('no links');
    clock.advance(REPORT_LINK_TTL_MS + 1000);
    try {
      for (const u of [l.chart, l.csv]) {
        const res = await fetch(u);
        expect(res.status).toBe(410);
        expect(await res.text()).toMatch(/expired/);
      }
    } finally {
      clock.advance(-(REPORT_LINK_TTL_MS + 1000));
    }
  });

  it('lets the CSV link (personal data, downloaded once) expire after a week, the chart after 30 days', async () => {
    const l = links();
    if (l === null) throw new Error('no links');
    clock.advance(REPORT_CSV_TTL_MS + 1000);
    try {
      expect((await fetch(l.csv)).status).toBe(410);
      expect((await fetch(l.chart)).status).toBe(200);
    } finally {
      clock.advance(-(REPORT_CSV_TTL_MS + 1000));
    }
  });

  it('answers 404 for a validly signed link to a report that is not stored', async () => {
    const path = '/reports/contoso/nope/chart.png';
    const res = await fetch(url + signer.sign(path, new Date(clock.now().getTime() + 60_000)));
    expect(res.status).toBe(404);
  });

  it('gives Slack and Teams links only under PUBLIC_BASE_URL; the console may use the local URL', () => {
    const none = createReportLinks({ signer, publicBase: undefined, localBase: () => url });
    expect(none.urls('contoso', 'r1', 'slack', clock.now())).toBeNull();
    expect(none.urls('contoso', 'r1', 'teams', clock.now())).toBeNull();
    const pub = createReportLinks({ signer, publicBase: 'https://bot.example.com/', localBase: () => url });
    expect(pub.urls('contoso', 'r1', 'slack', clock.now())?.chart).toMatch(
      /^https:\/\/bot\.example\.com\/reports\/contoso\/r1\/chart\.png\?exp=\d+&sig=[A-Za-z0-9_-]{43}$/,
    );
  });

  it('a signer without a configured secret signs with a per-process key: another process cannot verify', () => {
    const a = createLinkSigner(undefined);
    const b = createLinkSigner(undefined);
    const link = a.sign('/reports/c/r/chart.png', new Date(clock.now().getTime() + 60_000));
    const q = new URL(`http://x${link}`).searchParams;
    expect(a.check('/reports/c/r/chart.png', q.get('exp'), q.get('sig'), clock.now())).toBe('ok');
    expect(b.check('/reports/c/r/chart.png', q.get('exp'), q.get('sig'), clock.now())).toBe('forbidden');
  });
});
