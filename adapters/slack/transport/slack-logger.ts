import { LogLevel } from '@slack/bolt';
import type { Logger } from '../../../bot/ports.js';

// Bolt and the WebClient log through this bridge into our logger, so their lines carry our format and
// redaction. The WebClient's debug lines with whole bodies are dropped: OAuth exchanges carry secrets there.

/** The logger interface @slack/* expects (structurally @slack/logger's Logger). */
export interface SlackSdkLogger {
  debug(...msg: unknown[]): void;
  info(...msg: unknown[]): void;
  warn(...msg: unknown[]): void;
  error(...msg: unknown[]): void;
  setLevel(level: LogLevel): void;
  getLevel(): LogLevel;
  setName(name: string): void;
}

/** web-api's debug lines with whole request and response bodies: they can hold client secrets and tokens. */
const BODY_LINE = /^http (request (body|headers|result)|response)/;

const text = (msg: readonly unknown[]): string =>
  msg.map((m) => (m instanceof Error ? m.message : typeof m === 'string' ? m : JSON.stringify(m))).join(' ');

/** Wraps our logger for bolt/web-api; `name` tells the lines apart. */
export function slackSdkLogger(logger: Logger, name = 'slack'): SlackSdkLogger {
  let level = LogLevel.INFO;
  let component = name;
  return {
    debug: (...msg) => {
      const line = text(msg);
      if (!BODY_LINE.test(line)) logger.debug({ component }, line);
    },
    info: (...msg) => logger.info({ component }, text(msg)),
    warn: (...msg) => logger.warn({ component }, text(msg)),
    error: (...msg) => logger.error({ component, err: msg.find((m) => m instanceof Error) }, text(msg)),
    setLevel: (l) => {
      level = l;
    },
    getLevel: () => level,
    setName: (n) => {
      component = n;
    },
  };
}
