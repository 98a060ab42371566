import { type Logger as Pino, pino } from 'pino';
import { SECRET_KEYS } from '../../bot/config/env.js';

// The process logger. Secrets never reach a log: known secret names and auth headers are redacted
// wherever they appear in a logged object.

const REDACT = [
  ...SECRET_KEYS,
  ...SECRET_KEYS.map((k) => `*.${k}`),
  'authorization',
  '*.authorization',
  'headers.authorization',
  '*.headers.authorization',
  'headers["x-slack-signature"]',
  'token',
  '*.token',
  'password',
  '*.password',
  'client_secret',
  '*.client_secret',
];

/** A pino logger with redaction; `destination` lets tests capture output. */
export function createLogger(level: string, destination?: NodeJS.WritableStream): Pino {
  const options = {
    level,
    redact: { paths: REDACT, censor: '[redacted]' },
    base: { app: 'defender-experts-bot' },
  };
  return destination ? pino(options, destination) : pino(options);
}
