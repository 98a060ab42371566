import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { type Response, Router } from 'express';
import { chatApi } from './console-api.js';
import { createConsoleChat } from './console-chat.js';
import type { ConsoleDeps } from './console-deps.js';
import { consoleGuard } from './console-guard.js';
import { apiErrorHandler } from './http-json.js';
import { buildPersonas } from './personas.js';
import { simApi } from './sim-api.js';

// The dev console: one static page (adapters/web/public) that renders cards with the official Adaptive
// Cards renderer, plus its JSON API. Mounted by the composition root only when config.devConsole is true.

interface Asset {
  readonly type: string;
  readonly body: Buffer;
}

const PUBLIC_FILES: Readonly<Record<string, string>> = {
  'console.css': 'text/css; charset=utf-8',
  'panels.css': 'text/css; charset=utf-8',
  'app.js': 'text/javascript; charset=utf-8',
  'api.js': 'text/javascript; charset=utf-8',
  'cards.js': 'text/javascript; charset=utf-8',
  'markdown.js': 'text/javascript; charset=utf-8',
  'transcript.js': 'text/javascript; charset=utf-8',
  'sim-panel.js': 'text/javascript; charset=utf-8',
  'alerts.js': 'text/javascript; charset=utf-8',
};

// Everything comes from this origin: no CDN, no fonts, works offline. The renderer sets inline styles.
const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: https:",
  "connect-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

function loadAssets(): ReadonlyMap<string, Asset> {
  const pub = (name: string): Buffer => readFileSync(new URL(`./public/${name}`, import.meta.url));
  const require = createRequire(import.meta.url);
  const vendor = (spec: string): Buffer => readFileSync(require.resolve(spec));
  const assets = new Map<string, Asset>();
  for (const [name, type] of Object.entries(PUBLIC_FILES)) assets.set(name, { type, body: pub(name) });
  assets.set('adaptivecards.min.js', {
    type: 'text/javascript; charset=utf-8',
    body: vendor('adaptivecards/dist/adaptivecards.min.js'),
  });
  assets.set('adaptivecards.css', {
    type: 'text/css; charset=utf-8',
    body: vendor('adaptivecards/dist/adaptivecards.css'),
  });
  return assets;
}

function send(res: Response, asset: Asset): void {
  res.set({
    'Content-Type': asset.type,
    'Cache-Control': 'no-cache',
    'X-Content-Type-Options': 'nosniff',
    'Content-Security-Policy': CSP,
  });
  res.send(asset.body);
}

/** Builds the console's routes: GET /, its assets under /console/assets, and the API under /console/api. */
export function createConsoleRouter(deps: ConsoleDeps): Router {
  const assets = loadAssets();
  const page: Asset = {
    type: 'text/html; charset=utf-8',
    body: readFileSync(new URL('./public/index.html', import.meta.url)),
  };
  const personas = new Map(buildPersonas(deps.directory).map((p) => [p.id, p]));
  const chat = deps.chat ?? createConsoleChat({ clock: deps.clock });

  const router = Router();
  const guard = consoleGuard(deps.port);
  router.use((req, res, next) =>
    req.path === '/' || req.path.startsWith('/console/') ? guard(req, res, next) : next(),
  );
  router.get('/', (_req, res) => send(res, page));
  router.get('/console/assets/:name', (req, res) => {
    const asset = assets.get(req.params.name);
    if (asset === undefined) {
      res.status(404).json({ error: 'not_found' });
      return;
    }
    send(res, asset);
  });

  const api = Router();
  api.use(chatApi(deps, personas, chat));
  api.use('/sim', simApi(deps, personas));
  api.use((_req, res) => {
    res.status(404).json({ error: 'not_found', message: 'No such console API route.' });
  });
  api.use(apiErrorHandler(deps.logger));
  router.use('/console/api', api);
  return router;
}
