import { webApi } from '@slack/bolt';
import { ChatDeliveryError, type DeliveryFailure } from '../../../bot/errors.js';

// Slack Web API failures mapped once, at the edge, to the core's ChatDeliveryError, so
// the alert dispatcher can tell "wait" (throttled, transient) from "stop" (gone, forbidden) from "drop"
// (invalid). Unknown platform errors count as invalid: retrying the same request would fail the same way.

const GONE = new Set([
  'channel_not_found',
  'is_archived',
  'channel_is_archived',
  'team_not_found',
  'team_is_restricted',
]);
// The channel is fine but the message an update or thread reply aimed at was deleted.
const MESSAGE_GONE = new Set(['message_not_found', 'thread_not_found', 'cant_update_message']);
const FORBIDDEN = new Set([
  'not_in_channel',
  'account_inactive',
  'token_revoked',
  'token_expired',
  'missing_scope',
  'invalid_auth',
  'not_authed',
  'no_permission',
  'restricted_action',
  'restricted_action_read_only_channel',
  'restricted_action_thread_only_channel',
  'restricted_action_non_threadable_channel',
  'ekm_access_denied',
  'team_access_not_granted',
  'org_login_required',
  'not_allowed_token_type',
  'app_uninstalled',
]);
const TRANSIENT = new Set([
  'internal_error',
  'fatal_error',
  'service_unavailable',
  'request_timeout',
  'timeout',
]);
// Transient codes with which Slack says the request was turned away before it did anything; after the
// others ("it's possible some aspect of the operation succeeded") a post may already be in the channel.
const TURNED_AWAY = new Set(['service_unavailable']);
/** Network errors that mean the request never reached Slack. */
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

const headerOf = (headers: unknown, name: string): string | null => {
  if (typeof headers !== 'object' || headers === null) return null;
  const value = (headers as Record<string, unknown>)[name];
  return typeof value === 'string' ? value : null;
};

/** What a Slack error code means for delivery. */
export function failureForCode(code: string): DeliveryFailure {
  if (code === 'ratelimited' || code === 'rate_limited') return 'throttled';
  if (GONE.has(code)) return 'gone';
  if (MESSAGE_GONE.has(code)) return 'messageGone';
  if (FORBIDDEN.has(code)) return 'forbidden';
  if (TRANSIENT.has(code)) return 'transient';
  return 'invalid';
}

/**
 * Maps any failure of a Web API call (or a response_url post) to a ChatDeliveryError. `beforeSending`:
 * the failure happened before any request went out (a token lookup), so nothing can have been applied.
 */
export function toDeliveryError(error: unknown, method: string, beforeSending = false): ChatDeliveryError {
  if (error instanceof ChatDeliveryError) return error;
  if (beforeSending) {
    const mapped = toDeliveryError(error, method);
    return new ChatDeliveryError(mapped.failure, mapped.message, {
      cause: error,
      retryAfterMs: mapped.retryAfterMs,
    });
  }
  if (error instanceof webApi.WebAPIRateLimitedError) {
    return new ChatDeliveryError('throttled', `Slack ${method}: rate limited`, {
      retryAfterMs: Math.max(0, error.retryAfter) * 1000,
      cause: error,
    });
  }
  if (error instanceof webApi.WebAPIPlatformError) {
    const code = String(error.data.error);
    const failure = failureForCode(code);
    return new ChatDeliveryError(failure, `Slack ${method}: ${code}`, {
      retryAfterMs: failure === 'throttled' ? 1000 : null,
      cause: error,
      maybeSent: failure === 'transient' && !TURNED_AWAY.has(code),
    });
  }
  if (error instanceof webApi.WebAPIHTTPError) {
    const failure: DeliveryFailure =
      error.statusCode >= 500 ? 'transient' : error.statusCode === 429 ? 'throttled' : 'invalid';
    const retryAfter = Number(headerOf(error.headers, 'retry-after'));
    const hinted = Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : null;
    // A 503 that says when to come back turned the request away; any other 5xx may have applied it.
    const turnedAway = error.statusCode === 503 && hinted !== null;
    return new ChatDeliveryError(failure, `Slack ${method}: HTTP ${error.statusCode}`, {
      cause: error,
      retryAfterMs: hinted,
      maybeSent: failure === 'transient' && !turnedAway,
    });
  }
  const original = error instanceof webApi.WebAPIRequestError ? error.original : error;
  const code = (original as { code?: unknown } | null)?.code;
  return new ChatDeliveryError(
    'transient',
    `Slack ${method}: ${error instanceof Error ? error.message : String(error)}`,
    { cause: error, maybeSent: !(typeof code === 'string' && NOT_SENT_CODES.has(code)) },
  );
}
