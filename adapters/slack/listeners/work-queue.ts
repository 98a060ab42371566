// The work Slack requests cause after they are acknowledged (running the turn, posting the answer) waits
// here instead of starting at once on the loop that acknowledges the next requests. Bounded three ways: at
// most `concurrency` pieces run at a time, at most `maxQueued` wait, and one workspace holds at most
// `maxQueuedPerTeam` of those places, so a noisy workspace is turned away before it crowds out the others.
// Waiting work is taken round-robin by workspace: each workspace's next piece in turn, so one workspace's
// backlog delays another's request by at most one piece per workspace ahead of it. Work that must not be
// lost (`insist`) goes past the bounds, first in its workspace's line: it waits only for the round-robin,
// never for that workspace's backlog, and is never refused.

export interface QueuedWork {
  /** The fair-share key: the workspace (or Enterprise Grid org) the request came through. */
  readonly team: string;
  readonly run: () => Promise<void>;
}

export interface WorkQueueOptions {
  readonly concurrency: number;
  readonly maxQueued: number;
  readonly maxQueuedPerTeam: number;
  /** A piece of work failed: by then its request was acknowledged long ago, so it is only reported. */
  readonly onError: (error: unknown, work: QueuedWork) => void;
  /** Defers the start of work past the current turn of the loop (default setImmediate). */
  readonly defer?: (fn: () => void) => void;
  /**
   * Whether more work may start beside what runs (default: always). While it says no, waiting work is looked
   * at again after `recheckMs`; one piece always may run, so the queue never stalls.
   */
  readonly mayStart?: () => boolean;
  readonly recheckMs?: number;
}

export interface WorkQueue {
  /** Queues the work; false when there is no room for it (nothing was kept). */
  offer(work: QueuedWork): boolean;
  /**
   * Queues the work even when there is no room, ahead of its workspace's waiting work: for the rare work
   * whose loss or delay leaves wrong state behind (an uninstall). It counts in `queued` (so it takes room
   * from what is offered next) and runs under the same concurrency.
   */
  insist(work: QueuedWork): void;
  /** Whether `offer` would take a piece from this workspace now. */
  hasRoom(team: string): boolean;
  /** Pieces waiting (not yet started). */
  readonly queued: number;
  /** Pieces running. */
  readonly running: number;
  /** Resolves once nothing waits and nothing runs. */
  drained(): Promise<void>;
}

export function createWorkQueue(options: WorkQueueOptions): WorkQueue {
  const defer = options.defer ?? ((fn: () => void) => void setImmediate(fn));
  // Map order is the round-robin order: a workspace served goes to the back if it still has work.
  const byTeam = new Map<string, QueuedWork[]>();
  let queued = 0;
  let running = 0;
  let scheduled = false;
  let waiters: (() => void)[] = [];

  const settle = (): void => {
    if (queued > 0 || running > 0) return;
    const done = waiters;
    waiters = [];
    for (const resolve of done) resolve();
  };

  const next = (): QueuedWork | undefined => {
    const first = byTeam.entries().next();
    if (first.done === true) return undefined;
    const [team, list] = first.value;
    const work = list.shift();
    byTeam.delete(team);
    if (list.length > 0) byTeam.set(team, list);
    queued -= 1;
    return work;
  };

  const pump = (): void => {
    scheduled = false;
    // One start per turn of the loop: acknowledgements that arrived meanwhile are answered in between.
    if (running >= options.concurrency) return;
    if (running > 0 && queued > 0 && options.mayStart?.() === false) {
      scheduled = true;
      setTimeout(pump, options.recheckMs ?? 10);
      return;
    }
    const work = next();
    if (work === undefined) {
      settle();
      return;
    }
    running += 1;
    void (async () => {
      try {
        await work.run();
      } catch (error) {
        options.onError(error, work);
      } finally {
        running -= 1;
        schedule();
        settle();
      }
    })();
    schedule();
  };

  function hasRoom(team: string): boolean {
    return queued < options.maxQueued && (byTeam.get(team)?.length ?? 0) < options.maxQueuedPerTeam;
  }

  function schedule(): void {
    if (scheduled || queued === 0 || running >= options.concurrency) return;
    scheduled = true;
    defer(pump);
  }

  function add(work: QueuedWork, first = false): void {
    const list = byTeam.get(work.team);
    if (list === undefined) byTeam.set(work.team, [work]);
    else if (first) list.unshift(work);
    else list.push(work);
    queued += 1;
    schedule();
  }

  return {
    hasRoom,
    offer(work) {
      if (!hasRoom(work.team)) return false;
      add(work);
      return true;
    },
    insist: (work) => add(work, true),
    get queued() {
      return queued;
    },
    get running() {
      return running;
    },
    drained() {
      if (queued === 0 && running === 0) return Promise.resolve();
      return new Promise((resolve) => waiters.push(resolve));
    },
  };
}
