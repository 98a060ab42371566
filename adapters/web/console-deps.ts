import type { Bot } from '../../bot/bot.js';
import type { Directory } from '../../bot/domain/customer.js';
import type { Clock, Logger, SimulationControl, Store } from '../../bot/ports.js';
import type { IncidentSync } from '../../bot/sync/incident-sync.js';
import type { ConsoleChat } from './console-chat.js';

// What the dev console needs from the composition root. The console is a development tool: it lets the
// person at the keyboard act as any persona, so it is only mounted when config.devConsole is true.

export interface ConsoleDeps {
  readonly bot: Bot;
  readonly directory: Directory;
  readonly store: Store;
  /** Present with the simulated source: the expert persona drives it. */
  readonly simulation: SimulationControl | null;
  /** After an expert action the console syncs that customer at once instead of waiting for the poll. */
  readonly sync: IncidentSync;
  readonly clock: Clock;
  readonly logger: Logger;
  /**
   * Where proactive messages for web conversations land (the Alerts pane reads it). The alert pipeline will
   * post into the same instance; when omitted the router makes its own, which stays empty until then.
   */
  readonly chat?: ConsoleChat;
  /** The port the server listens on, once it does: the console answers only at its own loopback names. */
  readonly port: () => number | null;
}
