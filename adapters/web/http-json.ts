import express, { type ErrorRequestHandler, type RequestHandler } from 'express';
import type { z } from 'zod/v4';
import { BotError } from '../../bot/errors.js';
import type { Logger } from '../../bot/ports.js';
import { INBOUND_BODY_LIMIT_BYTES, refuseDeclaredOversize, refuseDeepJson } from '../http/inbound-limits.js';

// The console API's edges: JSON only, bodies validated with zod, every failure answered as JSON with a
// status that says whose fault it was. Errors are mapped here, once, at the edge.

/** A failure the caller caused, with the status and code it is answered with. */
export class HttpError extends Error {
  readonly status: number;
  readonly code: string;
  constructor(status: number, code: string, message: string) {
    super(message);
    this.name = 'HttpError';
    this.status = status;
    this.code = code;
  }
}

const requireJsonType: RequestHandler = (req, _res, next) => {
  if (req.is('application/json') !== 'application/json') {
    next(new HttpError(415, 'unsupported_media_type', 'Send the body as Content-Type: application/json.'));
    return;
  }
  next();
};

/** Middleware for POST routes: 415 for anything but application/json, then the JSON body parser. */
export const jsonBody: readonly RequestHandler[] = [
  requireJsonType,
  refuseDeclaredOversize(INBOUND_BODY_LIMIT_BYTES),
  // The turn text limit (20,000 characters) fits the shared body limit with room for escapes.
  express.json({
    limit: INBOUND_BODY_LIMIT_BYTES,
    strict: true,
    type: 'application/json',
    verify: refuseDeepJson,
  }),
];

/** Validates a body (or query) with a zod schema; a mismatch is the caller's fault (400). */
export function parseWith<T>(schema: z.ZodType<T>, value: unknown): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const detail = result.error.issues
    .slice(0, 5)
    .map((i) => `${i.path.length > 0 ? i.path.join('.') : 'body'}: ${i.message}`)
    .join('; ');
  throw new HttpError(400, 'bad_request', `Invalid request — ${detail}`);
}

const BOT_ERROR_STATUS: Readonly<Partial<Record<BotError['code'], number>>> = {
  bad_input: 400,
  not_found: 404,
  forbidden: 403,
  conflict: 409,
};

const statusOf = (err: unknown): number | null => {
  if (typeof err !== 'object' || err === null || !('status' in err)) return null;
  const status = Number(err.status);
  return Number.isInteger(status) && status >= 400 && status < 500 ? status : null;
};

/** The console API's error hook: caller faults become 4xx JSON, anything else is logged once and is a 500. */
export function apiErrorHandler(logger: Logger): ErrorRequestHandler {
  return (err: unknown, req, res, _next) => {
    if (err instanceof HttpError) {
      res.status(err.status).json({ error: err.code, message: err.message });
      return;
    }
    if (err instanceof BotError) {
      const status = BOT_ERROR_STATUS[err.code];
      if (status !== undefined) {
        res.status(status).json({ error: err.code, message: err.message });
        return;
      }
    }
    // body-parser's own errors (malformed JSON, body too large) carry a 4xx status.
    const status = statusOf(err);
    if (status !== null) {
      const message = status === 413 ? 'Request body too large.' : 'Malformed JSON body.';
      res.status(status).json({ error: status === 413 ? 'too_large' : 'bad_request', message });
      return;
    }
    logger.error({ err, path: req.path, method: req.method }, 'console request failed');
    res.status(500).json({ error: 'internal_error', message: 'Something went wrong on our side.' });
  };
}
