import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';

// Requests signed the way Slack signs them (v0: HMAC-SHA256 of "v0:<ts>:<body>" with the signing secret),
// and the captured payload shapes in test/fixtures/slack, so e2e tests speak Slack's wire format.

export const SIGNING_SECRET = 'test-signing-secret-8f2c1a';

export const nowSeconds = (): number => Math.floor(Date.now() / 1000);

export function sign(secret: string, timestamp: number, body: string): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
}

export interface PostOptions {
  readonly secret?: string;
  readonly timestamp?: number;
  /** Overrides the computed signature (forgeries); null sends no signature headers at all. */
  readonly signature?: string | null;
  readonly retryNum?: number;
}

/** POSTs a body to /slack/events signed like Slack (form for commands/interactivity, JSON for events). */
export function postSigned(
  base: string,
  body: string,
  contentType: string,
  options: PostOptions = {},
): Promise<Response> {
  const timestamp = options.timestamp ?? nowSeconds();
  const headers: Record<string, string> = { 'content-type': contentType };
  if (options.signature !== null) {
    headers['x-slack-request-timestamp'] = String(timestamp);
    headers['x-slack-signature'] =
      options.signature ?? sign(options.secret ?? SIGNING_SECRET, timestamp, body);
  }
  if (options.retryNum !== undefined) {
    headers['x-slack-retry-num'] = String(options.retryNum);
    headers['x-slack-retry-reason'] = 'http_timeout';
  }
  return fetch(`${base}/slack/events`, { method: 'POST', headers, body });
}

export const FORM = 'application/x-www-form-urlencoded';
export const JSON_TYPE = 'application/json';

/** A slash command or other form post. */
export const formBody = (fields: Readonly<Record<string, string>>): string =>
  new URLSearchParams(fields).toString();

/** An interactivity payload (block_actions, view_submission, shortcut): form field "payload". */
export const payloadBody = (payload: unknown): string =>
  new URLSearchParams({ payload: JSON.stringify(payload) }).toString();

/** A captured payload shape from test/fixtures/slack, as a fresh object to fill in. */
export function fixture<T = Record<string, unknown>>(name: string): T {
  return JSON.parse(readFileSync(new URL(`../fixtures/slack/${name}.json`, import.meta.url), 'utf8')) as T;
}
