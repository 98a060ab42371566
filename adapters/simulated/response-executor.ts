import { randomUUID } from 'node:crypto';
import type { Customer } from '../../bot/domain/customer.js';
import type { IncidentComment, ResponseAction } from '../../bot/domain/incident.js';
import type { Clock, SimulationControl } from '../../bot/ports.js';
import type { IncidentWriter, RemoteStatus, ResponseExecutor } from '../../bot/response/response-ports.js';
import { ResponseExecutionError } from '../../bot/response/response-ports.js';
import { canAddress, EXECUTOR_KINDS } from '../defender/executor-actions.js';

// The embedded default's guided-response executor and writer: runs "take" a few seconds and end the way a
// real machine action would (some devices are offline and fail), and decisions become comments in the
// simulated incident, so the dev console shows the whole loop with no Microsoft tenant.

export interface SimulatedExecutorOptions {
  readonly clock: Clock;
  /** How long a run stays in progress (default 8 s). */
  readonly durationMs?: number;
  /** Which runs fail at the end; default: devices whose name ends in 7 ("offline"), for the demo. */
  readonly fails?: (action: ResponseAction) => string | null;
}

const offlineDevice = (action: ResponseAction): string | null =>
  action.target.type === 'device' && /7$/.test(action.target.name.trim())
    ? `${action.target.name} did not respond: the device is offline (simulated).`
    : null;

/** Creates the simulated executor (state in memory: a restart fails the runs it forgot). */
export function createSimulatedExecutor(options: SimulatedExecutorOptions): ResponseExecutor {
  const duration = options.durationMs ?? 8_000;
  const fails = options.fails ?? offlineDevice;
  const runs = new Map<string, { customerId: string; endsAt: number; failure: string | null }>();
  return {
    // The same kinds and targets the production executor runs.
    kinds: EXECUTOR_KINDS,
    simulated: true,
    canRun: canAddress,
    async start(request) {
      if (request.action.target.excluded)
        throw new ResponseExecutionError('excluded assets are never run', false);
      const remoteId = `sim-${randomUUID()}`;
      const failure = fails(request.action);
      runs.set(remoteId, {
        customerId: request.customer.id,
        endsAt: options.clock.now().getTime() + duration,
        failure,
      });
      return { remoteId, status: { state: 'inProgress', detail: null } };
    },
    async status(customer: Customer, remoteId: string): Promise<RemoteStatus> {
      const run = runs.get(remoteId);
      if (run === undefined || run.customerId !== customer.id) {
        return { state: 'failed', detail: 'The simulation restarted and lost this run; run it again.' };
      }
      if (options.clock.now().getTime() < run.endsAt) return { state: 'inProgress', detail: null };
      return run.failure === null
        ? { state: 'completed', detail: 'Completed (simulated).' }
        : { state: 'failed', detail: run.failure };
    },
  };
}

/** Decisions written as comments in the simulated incident ("Comments and history"). */
export function createSimulatedWriter(simulation: Pick<SimulationControl, 'comment'>): IncidentWriter {
  return {
    async addComment(customer, incidentId, comment): Promise<readonly IncidentComment[]> {
      return (await simulation.comment(customer.id, incidentId, 'Defender Experts bot', comment)).comments;
    },
  };
}
