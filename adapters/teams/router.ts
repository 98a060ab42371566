import type { Activity } from 'botbuilder';
import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import type { Logger } from '../../bot/ports.js';
import { messageInvokeResponse } from './outbound.js';
import { playgroundGate } from './playground-gate.js';
import type { TeamsRuntime } from './runtime.js';
import { screenChannelToken } from './token-screen.js';

// POST /api/messages: the only door into the Teams adapter. In order: the runtime is up (else 503), the
// token is a valid Bot Framework channel token for this bot (else 401 — never 500), the body is an
// activity (else 400), its serviceUrl is on the allowlist (else 403: no reply is ever sent to it), then the
// Application runs it. Invokes always get a body; a failure elsewhere is logged once and answered 500.

/** Teams activities are small; cards the bot receives back in invokes stay well under this. */
const BODY_LIMIT = '512kb';

const deny = (res: Response, status: number, error: string, message: string): void => {
  res.status(status).json({ error, message });
};

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** What every Teams activity has; without it the activity cannot be answered or attributed. */
function malformed(body: Record<string, unknown>): string | null {
  const has = (v: unknown): boolean => isRecord(v) && typeof v.id === 'string' && v.id !== '';
  if (typeof body.type !== 'string' || body.type === '') return 'activity without a type';
  if (!has(body.from) || !has(body.recipient) || !has(body.conversation)) {
    return 'activity without from, recipient or conversation';
  }
  return null;
}

/** The express router for /api/messages; `runtime()` is null until the adapter has started. */
export function createTeamsRouter(runtime: () => TeamsRuntime | null, logger: Logger): Router {
  const router = express.Router();
  const json = express.json({ limit: BODY_LIMIT, type: () => true });

  const localPlayground = playgroundGate(logger);
  // Before the body is even parsed: no runtime, or nothing that looks like a channel token → refused.
  const gate = (req: Request, res: Response, next: NextFunction): void => {
    const rt = runtime();
    if (rt === null) {
      deny(res, 503, 'teams_starting', 'The Teams adapter is starting; try again shortly.');
      return;
    }
    // Playground mode (never with an app id): the local Agents Playground's checks replace the token's.
    if (rt.settings.playgroundPort !== null) {
      localPlayground(req, res, next);
      return;
    }
    const screen = screenChannelToken(req.get('authorization'), rt.settings.channelIssuer);
    if (!screen.ok) {
      logger.warn({ status: 401, reason: screen.reason, ip: req.ip }, 'teams request refused');
      deny(res, 401, 'unauthorized', 'A valid Bot Framework token for this bot is required.');
      return;
    }
    next();
  };

  router.post('/api/messages', gate, json, async (req: Request, res: Response, next: NextFunction) => {
    const rt = runtime();
    if (rt === null) {
      deny(res, 503, 'teams_starting', 'The Teams adapter is starting; try again shortly.');
      return;
    }
    const body: unknown = req.body;
    if (!isRecord(body)) {
      deny(res, 400, 'bad_request', 'The body must be a Bot Framework activity.');
      return;
    }
    const activity = body as unknown as Activity;
    const auth = await rt.authenticate(activity, req.get('authorization'));
    if (!auth.ok) {
      logger.warn({ status: auth.status, reason: auth.reason, ip: req.ip }, 'teams request refused');
      if (auth.status === 503)
        deny(res, 503, 'auth_unavailable', 'Cannot verify Bot Framework tokens right now.');
      else deny(res, 401, 'unauthorized', 'A valid Bot Framework token for this bot is required.');
      return;
    }
    const problem = malformed(body);
    if (problem !== null) {
      deny(res, 400, 'bad_request', `Malformed activity: ${problem}.`);
      return;
    }
    const serviceUrl = rt.settings.serviceUrlCheck(activity.serviceUrl);
    if (!serviceUrl.ok) {
      logger.warn(
        { reason: serviceUrl.reason, activityId: activity.id },
        'teams activity refused: service URL',
      );
      deny(
        res,
        403,
        'service_url_refused',
        'The activity’s serviceUrl is not an allowed Teams service host.',
      );
      return;
    }
    try {
      const invoke = await rt.process(auth.result, activity);
      if (invoke === undefined) {
        res.status(200).end();
      } else if (invoke.body === undefined) {
        res.status(invoke.status).end();
      } else {
        res.status(invoke.status).json(invoke.body);
      }
    } catch (error) {
      logger.error({ err: error, activityId: activity.id, type: activity.type }, 'teams activity failed');
      if (res.headersSent) return next(error);
      if (activity.type === 'invoke' && activity.name === 'adaptiveCard/action') {
        const sorry = messageInvokeResponse(
          'Something went wrong on our side. Please try again in a minute.',
        );
        res.status(sorry.status).json(sorry.body);
        return;
      }
      deny(res, 500, 'internal_error', 'Something went wrong on our side.');
    }
  });
  router.all('/api/messages', (_req, res) => {
    res.set('Allow', 'POST');
    deny(res, 405, 'method_not_allowed', 'Use POST.');
  });
  return router;
}
