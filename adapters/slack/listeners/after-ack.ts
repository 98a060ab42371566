import { performance } from 'node:perf_hooks';
import { Counter, Gauge, Registry } from 'prom-client';
import type { Logger } from '../../../bot/ports.js';
import type { SlackApi } from '../transport/slack-api.js';
import { createWorkQueue, type WorkQueue } from './work-queue.js';

// What happens to a Slack request once it is acknowledged: its work joins the bounded, per-workspace fair
// queue (work-queue.ts). When there is no room the request is shed, never silently where Slack gave a way
// to answer: the asker is told through the request's response_url (ephemeral) to try again in a moment.
// Events carry no response_url: they are dropped with a warning and counted. The busy answers themselves
// are bounded too, so a flood cannot grow memory through them either. Work marked mustRun (uninstalls) is
// never shed: it waits past the bounds, which it can only exceed by as many pieces as Slack sends of it.

export type RequestKind = 'command' | 'interaction' | 'event';

export interface AfterAck {
  /** The workspace (or org) the request came through: its fair share of the queue. */
  readonly team: string;
  readonly kind: RequestKind;
  /** Where the asker can be told that the bot is busy (commands, message clicks); null for events. */
  readonly responseUrl: string | null;
  readonly run: () => Promise<void>;
  /** Never shed: queued past the bounds when they are reached (work whose loss leaves stale state). */
  readonly mustRun?: boolean;
}

export interface AfterAckLimits {
  /** Pieces of work running at once. */
  readonly concurrency: number;
  /** Pieces waiting, all workspaces together. */
  readonly maxQueued: number;
  /** Pieces waiting from one workspace. */
  readonly maxQueuedPerTeam: number;
  /** Busy answers in flight; beyond this a shed request is only logged and counted. */
  readonly maxBusyReplies: number;
  /**
   * Event-loop utilisation (0–1, over the last 100 ms) above which no further work starts beside what runs:
   * the rest of the loop is left to acknowledgements.
   */
  readonly maxLoopUtilization: number;
}

// The work is mostly synchronous SQLite and card rendering on the loop the acks share: more pieces at once
// do not finish sooner, they only lengthen the stretch an ack can wait behind. A full queue is a few
// seconds of work; beyond that an answer would come too late to be worth the memory.
export const AFTER_ACK_LIMITS: AfterAckLimits = {
  concurrency: 4,
  maxQueued: 512,
  maxQueuedPerTeam: 128,
  maxBusyReplies: 64,
  maxLoopUtilization: 0.75,
};

export const BUSY_TEXT =
  'I have more requests than I can handle right now, so I did not run this one. Please try again in a moment.';

export interface AfterAckQueue {
  /** Queues the work of an acknowledged request, or sheds it (busy answer or warning). */
  later(work: AfterAck): void;
  /**
   * Before a modal submission is acknowledged: true when its work will find room. When not, it is counted as
   * told busy, and the listener keeps the modal open with BUSY_TEXT under a field instead of closing it.
   */
  admitsForm(team: string): boolean;
  /** Resolves once all accepted work has run. */
  drained(): Promise<void>;
  readonly queue: WorkQueue;
}

export interface AfterAckDeps {
  readonly api: SlackApi;
  readonly logger: Logger;
  /** Where the shed counter and queue gauges are registered (a private registry when absent). */
  readonly registry?: Registry;
  readonly limits?: Partial<AfterAckLimits>;
}

/** The event loop's utilisation over the last ~100 ms, measured when asked (no timer of its own). */
function loopUtilization(): { current(): number } {
  let mark = performance.eventLoopUtilization();
  let markedAt = performance.now();
  let last = 0;
  return {
    current() {
      const now = performance.now();
      if (now - markedAt >= 100) {
        const next = performance.eventLoopUtilization();
        last = performance.eventLoopUtilization(next, mark).utilization;
        mark = next;
        markedAt = now;
      }
      return last;
    },
  };
}

export function createAfterAckQueue(deps: AfterAckDeps): AfterAckQueue {
  const limits = { ...AFTER_ACK_LIMITS, ...deps.limits };
  const { api, logger } = deps;
  const registry = deps.registry ?? new Registry();
  const shed = new Counter({
    name: 'slack_requests_shed_total',
    help: 'Acknowledged Slack requests not run because the work queue was full, by kind and answer (busy_reply: told to try again; dropped: no way to tell)',
    labelNames: ['kind', 'answer'] as const,
    registers: [registry],
  });
  const loop = loopUtilization();
  const queue = createWorkQueue({
    mayStart: () => loop.current() <= limits.maxLoopUtilization,
    concurrency: limits.concurrency,
    maxQueued: limits.maxQueued,
    maxQueuedPerTeam: limits.maxQueuedPerTeam,
    onError: (error, work) => logger.error({ err: error, team: work.team }, 'Slack: request handling failed'),
  });
  new Gauge({
    name: 'slack_work_queued',
    help: 'Acknowledged Slack requests waiting for their turn',
    registers: [registry],
    collect() {
      this.set(queue.queued);
    },
  });
  new Gauge({
    name: 'slack_work_running',
    help: 'Acknowledged Slack requests being handled',
    registers: [registry],
    collect() {
      this.set(queue.running);
    },
  });

  let busyInFlight = 0;
  const refuse = (work: AfterAck): void => {
    const url = work.responseUrl;
    if (url === null || !api.responseUrlAllowed(url) || busyInFlight >= limits.maxBusyReplies) {
      shed.inc({ kind: work.kind, answer: 'dropped' });
      logger.warn(
        { kind: work.kind, team: work.team, queued: queue.queued },
        'Slack: request dropped, the work queue is full',
      );
      return;
    }
    shed.inc({ kind: work.kind, answer: 'busy_reply' });
    busyInFlight += 1;
    void api
      .respond(url, { response_type: 'ephemeral', replace_original: false, text: BUSY_TEXT })
      .catch((error: unknown) => logger.warn({ err: error, kind: work.kind }, 'Slack: busy answer not sent'))
      .finally(() => {
        busyInFlight -= 1;
      });
  };

  return {
    later(work) {
      const piece = { team: work.team, run: work.run };
      if (work.mustRun === true) queue.insist(piece);
      else if (!queue.offer(piece)) refuse(work);
    },
    admitsForm(team) {
      if (queue.hasRoom(team)) return true;
      shed.inc({ kind: 'interaction', answer: 'busy_reply' });
      return false;
    },
    drained: () => queue.drained(),
    queue,
  };
}
