import { BotError } from '../../bot/errors.js';

// Instants a feature store writes to a timestamp column: PostgreSQL refuses text that is not one (and SQLite
// would keep it as text), so both refuse it here first, with the caller's error and nothing written.

/** True when `value` is an ISO instant the timestamp columns hold. */
export const isInstant = (value: string): boolean => Number.isFinite(Date.parse(value));

/** `value` unchanged when it is an instant; bad_input naming `what` otherwise. */
export function checkedInstant(value: string, what: string): string {
  if (!isInstant(value)) throw new BotError('bad_input', `${what} must be an ISO instant, got "${value}"`);
  return value;
}
