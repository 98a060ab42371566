import type { Activity } from 'botbuilder';
import type { ClaimsIdentity } from 'botframework-connector';
import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import type { Logger } from '../../bot/ports.js';
import { INBOUND_BODY_LIMIT_BYTES, refuseDeclaredOversize, refuseDeepJson } from '../http/inbound-limits.js';
import { playgroundGate } from './auth/playground-gate.js';
import { messageInvokeResponse } from './conversion/teams-outbound.js';
import type { TeamsRuntime } from './runtime.js';

// POST /api/messages: the only door into the Teams adapter. In order: the runtime is up (else 503), the
// token is a valid Bot Framework channel token for this bot, checked before the body is read (else 401 —
// never 500), the body is small and shallow (else 413/400), then parsed and the verified token's claims
// checked against the activity (its service URL; the signature is not checked twice), the body is an
// activity (else 400), its serviceUrl is on the allowlist (else 403: no reply is ever sent to it), then
// the Application runs it. Invokes always get a body; a failure elsewhere is logged once and answered 500.

const deny = (res: Response, status: number, error: string, message: string): void => {
  res.status(status).json({ error, message });
};

/** A refusal before the body was read: the connection closes, so the unread body is never taken in. */
const denyUnread = (res: Response, status: number, error: string, message: string): void => {
  res.set('Connection', 'close');
  deny(res, status, error, message);
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
  // Teams activities are small; the shared limit and the nesting check apply before parsing.
  const json = express.json({ limit: INBOUND_BODY_LIMIT_BYTES, type: () => true, verify: refuseDeepJson });

  const localPlayground = playgroundGate(logger);
  // Before the body is read: no runtime, or no token signed by the channel for this bot → refused, and the
  // connection is closed so whatever body follows is never read, let alone parsed.
  const gate = async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    const rt = runtime();
    if (rt === null) {
      denyUnread(res, 503, 'teams_starting', 'The Teams adapter is starting; try again shortly.');
      return;
    }
    // Playground mode (never with an app id): the local Agents Playground's checks replace the token's.
    if (rt.settings.playgroundPort !== null) {
      localPlayground(req, res, next);
      return;
    }
    const verdict = await rt.checkToken(req.get('authorization'));
    if (!verdict.ok) {
      logger.warn({ status: verdict.status, reason: verdict.reason, ip: req.ip }, 'teams request refused');
      if (verdict.status === 503)
        denyUnread(res, 503, 'auth_unavailable', 'Cannot verify Bot Framework tokens right now.');
      else denyUnread(res, 401, 'unauthorized', 'A valid Bot Framework token for this bot is required.');
      return;
    }
    // Verified once, here: the handler completes the check against the activity from this identity.
    res.locals.teamsIdentity = verdict.identity;
    next();
  };

  router.post(
    '/api/messages',
    gate,
    refuseDeclaredOversize(INBOUND_BODY_LIMIT_BYTES),
    json,
    async (req: Request, res: Response, next: NextFunction) => {
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
      const identity = (res.locals.teamsIdentity as ClaimsIdentity | undefined) ?? null;
      const auth = await rt.authenticate(activity, identity);
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
    },
  );
  router.all('/api/messages', (_req, res) => {
    res.set('Allow', 'POST');
    deny(res, 405, 'method_not_allowed', 'Use POST.');
  });
  return router;
}
