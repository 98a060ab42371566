import type { Logger } from '../../bot/ports.js';

// Starts the bot's services in the order they were added and stops them in reverse, so whatever a
// service relies on is up before it starts and still up until it has stopped. One failed start stops
// what had started; one failed stop is logged and the others still stop.

export interface Service {
  readonly name: string;
  start?(): Promise<void> | void;
  stop?(): Promise<void> | void;
}

export interface Lifecycle {
  /** Adds a service; its start runs at startAll. */
  add(service: Service): void;
  /** Adds something already running (an opened store): stopped with the rest, last of those before it. */
  adopt(service: Service): void;
  /** Starts every service in order; on a failure stops those started, in reverse, and rethrows. */
  startAll(): Promise<void>;
  /** Stops every started service in reverse order; calling it again returns the same promise. */
  stopAll(): Promise<void>;
}

/** Creates an empty lifecycle. */
export function createLifecycle(logger: Logger): Lifecycle {
  const services: Service[] = [];
  const started: Service[] = [];
  let stopping: Promise<void> | null = null;

  async function stopStarted(): Promise<void> {
    for (const service of [...started].reverse()) {
      try {
        logger.debug({ service: service.name }, 'stopping');
        await service.stop?.();
      } catch (error) {
        logger.error({ err: error, service: service.name }, 'a service did not stop cleanly');
      }
    }
    started.length = 0;
  }

  return {
    add(service) {
      if (stopping !== null) throw new Error(`cannot add ${service.name}: the bot is stopping`);
      services.push(service);
    },
    adopt(service) {
      if (stopping !== null) throw new Error(`cannot adopt ${service.name}: the bot is stopping`);
      services.push(service);
      started.push(service);
    },
    async startAll() {
      for (const service of services) {
        if (started.includes(service)) continue;
        try {
          logger.debug({ service: service.name }, 'starting');
          await service.start?.();
        } catch (error) {
          await stopStarted();
          throw error;
        }
        started.push(service);
      }
    },
    stopAll() {
      stopping ??= stopStarted();
      return stopping;
    },
  };
}
