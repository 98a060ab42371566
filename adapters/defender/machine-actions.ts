import type { KnownActionKind } from '../../bot/domain/enums.js';
import type { ResponseAction } from '../../bot/domain/incident.js';
import type { RemoteStatus } from '../../bot/response/response-ports.js';

// Microsoft Defender for Endpoint machine actions (https://learn.microsoft.com/defender-endpoint/api/):
// POST /api/machines/{id}/<action> with a JSON body answers 201 with a MachineAction whose `id` is then
// read with GET /api/machineactions/{id} until its status is Succeeded, Failed, TimeOut or Cancelled.

/** The Defender API's token audience; its regional hosts (api.security.microsoft.com, …) all accept it. */
export const DEFENDER_SCOPE = 'https://api.securitycenter.microsoft.com/.default';

/** The kinds that are Defender machine actions. */
export const MACHINE_KINDS: ReadonlySet<KnownActionKind> = new Set<KnownActionKind>([
  'isolateDevice',
  'releaseFromIsolation',
  'runAntivirusScan',
  'collectInvestigationPackage',
  'restrictAppExecution',
  'unrestrictAppExecution',
  'stopAndQuarantineFile',
]);

/** One machine action as an HTTP call. */
export interface MachineCall {
  readonly path: string;
  readonly body: Record<string, string>;
}

// Defender machine ids are 40 hex characters; a SHA-1 is too. A file action names both: "<machine>:<sha1>".
const MACHINE_ID = /^[0-9a-fA-F]{40}$/;
const FILE_TARGET = /^([0-9a-fA-F]{40}):([0-9a-fA-F]{40})$/;

/** The call for one action, or null when its target cannot be addressed through the API. */
export function machineCall(action: ResponseAction, comment: string): MachineCall | null {
  const kind = action.kind;
  if (typeof kind !== 'string' || !MACHINE_KINDS.has(kind)) return null;
  const id = action.target.id.trim();
  if (kind === 'stopAndQuarantineFile') {
    const m = action.target.type === 'file' ? FILE_TARGET.exec(id) : null;
    if (m === null) return null;
    return {
      path: `/api/machines/${m[1]}/StopAndQuarantineFile`,
      body: { Comment: comment, Sha1: m[2] ?? '' },
    };
  }
  if (action.target.type !== 'device' || !MACHINE_ID.test(id)) return null;
  const at = (verb: string, body: Record<string, string> = {}): MachineCall => ({
    path: `/api/machines/${id}/${verb}`,
    body: { Comment: comment, ...body },
  });
  switch (kind) {
    case 'isolateDevice':
      return at('isolate', { IsolationType: 'Full' });
    case 'releaseFromIsolation':
      return at('unisolate');
    case 'runAntivirusScan':
      return at('runAntiVirusScan', { ScanType: 'Quick' });
    case 'collectInvestigationPackage':
      return at('collectInvestigationPackage');
    case 'restrictAppExecution':
      return at('restrictCodeExecution');
    case 'unrestrictAppExecution':
      return at('unrestrictCodeExecution');
    default:
      return null;
  }
}

/** A MachineAction's `status` in our terms: Pending/InProgress run on (detail null); the documented ends end it. */
export function machineStatus(body: unknown): RemoteStatus {
  const b = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
  const status = typeof b.status === 'string' ? b.status : '';
  switch (status.toLowerCase()) {
    case 'pending':
    case 'inprogress':
      return { state: 'inProgress', detail: null };
    case 'succeeded':
      return { state: 'completed', detail: 'Microsoft Defender reports it succeeded.' };
    case 'failed':
      return { state: 'failed', detail: 'Microsoft Defender reports the action failed on the device.' };
    case 'timeout':
      return { state: 'failed', detail: 'The device did not respond in time (Defender: TimeOut).' };
    case 'cancelled':
      return { state: 'failed', detail: 'The action was cancelled in Microsoft Defender.' };
    default:
      // Not one of the documented six: keep following it (the poller logs it and gives up after a day).
      return {
        state: 'inProgress',
        detail: `Microsoft Defender answered an unknown status "${status.replace(/[^\w -]/g, '').slice(0, 40)}".`,
      };
  }
}
