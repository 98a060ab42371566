import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import type { AppConfig } from '../../bot/config/env.js';
import type { IncidentSource, Logger, Store } from '../../bot/ports.js';
import type { Metrics } from './metrics.js';
import { platformPlaceholders } from './platform-endpoints.js';

// The one express app: health, readiness, metrics, the platform endpoints and the dev console.

export interface HttpAppDeps {
  readonly config: Readonly<AppConfig>;
  readonly store: Store;
  readonly source: IncidentSource;
  readonly metrics: Metrics;
  readonly logger: Logger;
  /** The dev console's routes, when it is enabled. */
  readonly console: Router | null;
  /**
   * Platform adapters' routers (Teams at /api/messages, Slack at /slack/events and its OAuth routes), mounted
   * before any body parser so each can read its raw body. A platform without one answers 503/501.
   */
  readonly platforms?: { readonly teams?: Router; readonly slack?: Router };
  /** Signed report files (chart PNG, CSV) at /reports/…, when the SDM feature runs. */
  readonly reports?: Router | null;
  /** What start-up is still doing (the first sync pass), or null once done: /readyz is 503 until then. */
  readonly starting?: () => string | null;
}

/** Builds the express app; listening and shutdown are the caller's. */
export function createHttpApp(deps: HttpAppDeps): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', false);

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });

  app.get('/readyz', async (_req, res) => {
    const starting = deps.starting?.() ?? null;
    if (starting !== null) {
      res.status(503).json({ status: 'starting', starting });
      return;
    }
    const checks = await Promise.allSettled([deps.store.ping(), deps.source.ping()]);
    const [store, source] = checks.map((c) => (c.status === 'fulfilled' ? 'ok' : 'unavailable'));
    const ready = store === 'ok' && source === 'ok';
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'not ready', store, source });
  });

  app.get('/metrics', async (_req, res) => {
    res.set('Content-Type', deps.metrics.registry.contentType);
    res.send(await deps.metrics.registry.metrics());
  });

  const platforms = deps.platforms ?? {};
  if (platforms.teams) app.use(platforms.teams);
  if (platforms.slack) app.use(platforms.slack);
  app.use(
    platformPlaceholders(deps.config, {
      teams: platforms.teams !== undefined,
      slack: platforms.slack !== undefined,
    }),
  );
  if (deps.reports) app.use(deps.reports);
  if (deps.console !== null) app.use(deps.console);

  app.use((_req, res) => {
    res.status(404).json({ error: 'not_found' });
  });

  // Malformed JSON and oversized bodies are the caller's fault (4xx); anything else is logged once here.
  app.use((err: unknown, req: Request, res: Response, _next: NextFunction) => {
    const status = typeof err === 'object' && err !== null && 'status' in err ? Number(err.status) : 500;
    if (status >= 400 && status < 500) {
      res.status(status).json({
        error: 'bad_request',
        message: status === 413 ? 'Request body too large.' : 'Malformed request.',
      });
      return;
    }
    deps.logger.error({ err, path: req.path, method: req.method }, 'request failed');
    res.status(500).json({ error: 'internal_error', message: 'Something went wrong on our side.' });
  });
  return app;
}
