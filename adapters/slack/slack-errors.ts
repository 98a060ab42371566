import { webApi } from '@slack/bolt';
import { ChatDeliveryError, type DeliveryFailure } from '../../bot/errors.js';

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

/** What a Slack error code means for delivery. */
export function failureForCode(code: string): DeliveryFailure {
  if (code === 'ratelimited' || code === 'rate_limited') return 'throttled';
  if (GONE.has(code)) return 'gone';
  if (MESSAGE_GONE.has(code)) return 'messageGone';
  if (FORBIDDEN.has(code)) return 'forbidden';
  if (TRANSIENT.has(code)) return 'transient';
  return 'invalid';
}

/** Maps any failure of a Web API call (or a response_url post) to a ChatDeliveryError. */
export function toDeliveryError(error: unknown, method: string): ChatDeliveryError {
  if (error instanceof ChatDeliveryError) return error;
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
    });
  }
  if (error instanceof webApi.WebAPIHTTPError) {
    const failure: DeliveryFailure =
      error.statusCode >= 500 ? 'transient' : error.statusCode === 429 ? 'throttled' : 'invalid';
    return new ChatDeliveryError(failure, `Slack ${method}: HTTP ${error.statusCode}`, { cause: error });
  }
  return new ChatDeliveryError(
    'transient',
    `Slack ${method}: ${error instanceof Error ? error.message : String(error)}`,
    {
      cause: error,
    },
  );
}
