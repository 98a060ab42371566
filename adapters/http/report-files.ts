import express, { type Router } from 'express';
import type { Platform } from '../../bot/domain/actor.js';
import type { Clock, Logger } from '../../bot/ports.js';
import type { ReportLinks } from '../../bot/sdm/deps.js';
import { reportCsv } from '../../bot/sdm/report-csv.js';
import type { ReportFigures } from '../../bot/sdm/report-figures.js';
import type { SdmStore } from '../../bot/sdm/sdm-ports.js';
import { renderReportChart } from '../charts/report-chart.js';
import type { LinkSigner } from './signed-links.js';

// The report's chart (PNG) and CSV at signed, expiring URLs: Slack and Teams fetch the image without our
// credentials, so the link itself is the credential. A tampered link is 403, an expired one 410; neither
// reveals whether the report exists.

/** How long a link works. Teams fetches a card's image each time it is shown, so weeks, not minutes. */
export const REPORT_LINK_TTL_MS = 30 * 86_400_000;
/**
 * The CSV holds the incidents' users, hosts and IPs, and nobody re-fetches a download (Teams re-fetches a
 * card's image each time it is shown, hence the chart's longer life): its link lives a week.
 */
export const REPORT_CSV_TTL_MS = 7 * 86_400_000;

const ID = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/;
const FILES = { 'chart.png': 'image/png', 'report.csv': 'text/csv; charset=utf-8' } as const;
type FileName = keyof typeof FILES;

const reportPath = (customerId: string, reportId: string, file: FileName): string =>
  `/reports/${encodeURIComponent(customerId)}/${encodeURIComponent(reportId)}/${file}`;

/** Where one reader's messages CSV is served; every part is in the signed path. */
export const messagesPath = (scope: string, filter: string, reader: string): string =>
  `/messages/${encodeURIComponent(scope)}/${encodeURIComponent(filter)}/${encodeURIComponent(reader)}/messages.csv`;

/**
 * Report links for the flows. `publicBase` is PUBLIC_BASE_URL; `localBase()` is the listening URL, used only
 * for the dev console (Slack and Teams cannot reach a loopback address, so they get no links without it).
 */
export function createReportLinks(args: {
  readonly signer: LinkSigner;
  readonly publicBase: string | undefined;
  readonly localBase: () => string | null;
}): ReportLinks {
  const rootFor = (platform: Platform): string | null => {
    const base =
      args.publicBase !== undefined && args.publicBase !== ''
        ? args.publicBase
        : platform === 'web'
          ? args.localBase()
          : null;
    return base === null ? null : base.replace(/\/+$/, '');
  };
  return {
    messagesCsv(scope, filter, reader, platform, now) {
      const root = rootFor(platform);
      if (root === null) return null;
      return (
        root +
        args.signer.sign(messagesPath(scope, filter, reader), new Date(now.getTime() + REPORT_CSV_TTL_MS))
      );
    },
    urls(customerId, reportId, platform: Platform, now) {
      const root = rootFor(platform);
      if (root === null) return null;
      const expires = new Date(now.getTime() + REPORT_LINK_TTL_MS);
      return {
        chart: root + args.signer.sign(reportPath(customerId, reportId, 'chart.png'), expires),
        csv:
          root +
          args.signer.sign(
            reportPath(customerId, reportId, 'report.csv'),
            new Date(now.getTime() + REPORT_CSV_TTL_MS),
          ),
      };
    },
  };
}

/** GET /reports/:customer/:report/(chart.png|report.csv)?exp&sig. */
export function createReportFilesRouter(deps: {
  readonly signer: LinkSigner;
  readonly store: SdmStore;
  readonly clock: Clock;
  readonly logger: Logger;
}): Router {
  const router = express.Router();
  router.get('/reports/:customer/:report/:file', async (req, res, next) => {
    try {
      const { customer, report, file } = req.params;
      const known = Object.hasOwn(FILES, file);
      const verdict = deps.signer.check(req.path, req.query.exp, req.query.sig, deps.clock.now());
      if (!known || !ID.test(customer) || !ID.test(report) || verdict === 'forbidden') {
        res.status(403).type('text/plain').send('This link is not valid.');
        return;
      }
      if (verdict === 'expired') {
        res.status(410).type('text/plain').send('This link has expired. Ask the bot for the report again.');
        return;
      }
      const stored = await deps.store.getReport(customer, report);
      if (stored === null) {
        res.status(404).type('text/plain').send('No such report.');
        return;
      }
      const figures = JSON.parse(stored.figures) as ReportFigures;
      const name = file as FileName;
      res.set('Content-Type', FILES[name]);
      res.set('Cache-Control', 'private, max-age=3600');
      res.set('X-Content-Type-Options', 'nosniff');
      if (name === 'chart.png') {
        res.send(await renderReportChart(figures));
      } else {
        const fileName = `defender-experts-${figures.customerId}-${figures.periodKey}.csv`.replace(
          /[^A-Za-z0-9_.-]/g,
          '_',
        );
        res.set('Content-Disposition', `attachment; filename="${fileName}"`);
        res.send(reportCsv(figures));
      }
    } catch (error) {
      next(error);
    }
  });
  return router;
}
