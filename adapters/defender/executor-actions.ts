import type { KnownActionKind } from '../../bot/domain/enums.js';
import type { ResponseAction } from '../../bot/domain/incident.js';
import { MACHINE_KINDS, machineCall } from './machine-actions.js';
import { USER_KINDS, userCall } from './user-actions.js';

// What a guided-response executor can run: the production executor's own answer, which the simulated one
// gives as well, so the dev console offers exactly the actions production would and no others.

/** The kinds the executors run: Defender for Endpoint machine actions and Entra user actions. */
export const EXECUTOR_KINDS: ReadonlySet<KnownActionKind> = new Set<KnownActionKind>([
  ...MACHINE_KINDS,
  ...USER_KINDS,
]);

/** Whether the APIs can address the action's target (a file action needs its device and SHA-1). */
export const canAddress = (action: ResponseAction): boolean =>
  machineCall(action, '') !== null || userCall(action) !== null;
