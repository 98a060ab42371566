import type { Incident, ResponseAction } from '../../../bot/domain/incident.js';
import type { ActionControls } from '../../../cards/builders/incident-sections.js';
import { incidentDetailCard, responseConfirmCard } from '../../../cards/index.js';
import type { CardMessage } from '../../../cards/types.js';

// Guided-response cards for the shared card checks (schema, fallback, verbs, injection, snapshots): the
// incident card as a responder and as an analyst sees it, the run confirmation and the skip form.

/** Every guided-response card kind, from the sample "awaiting" incident (its actions span every state). */
export function responseCards(incident: Incident, hostile: string, now: Date): [string, CardMessage][] {
  const actions = incident.guidedResponse?.actions ?? [];
  const responder = new Map<string, ActionControls>(
    actions.map((a, i) => [
      a.id,
      {
        incidentId: incident.id,
        version: i,
        done: a.state === 'pending' || a.state === 'failed',
        skip: a.state === 'pending' || a.state === 'failed',
        run: a.state === 'pending',
        lock: null,
      },
    ]),
  );
  const analyst = new Map<string, ActionControls>(
    actions.map((a) => [
      a.id,
      {
        incidentId: incident.id,
        version: 0,
        done: false,
        skip: false,
        run: false,
        lock: 'Only Contoso Ltd responders and admins can act on guided response.',
      },
    ]),
  );
  const device = actions.find((a) => a.target.type === 'device') as ResponseAction;
  const hostileTarget: ResponseAction = {
    ...device,
    id: 'ga-h',
    kind: 'stopAndQuarantineFile',
    target: { type: 'file', id: hostile, name: hostile, excluded: false },
  };
  const fileOnDevice: ResponseAction = {
    ...device,
    id: 'ga-f',
    kind: 'stopAndQuarantineFile',
    target: { type: 'file', id: `${'a'.repeat(40)}:${'c'.repeat(40)}`, name: 'beacon.exe', excluded: false },
  };
  const confirm = (action: ResponseAction, mode: 'run' | 'skip', recordedAs: string, destructive: boolean) =>
    responseConfirmCard({
      incident,
      action,
      mode,
      version: 3,
      recordedAs,
      runsWith: "The bot's app registration in Contoso Ltd's tenant",
      confirmation: '5b0c3f0e-8f4a-4a53-9a3e-0d6c2b1f7e11',
      destructive,
    });
  return [
    ['response/detail-responder', incidentDetailCard({ incident, now, controls: responder })],
    ['response/detail-analyst', incidentDetailCard({ incident, now, controls: analyst })],
    ['response/confirm-run-destructive', confirm(device, 'run', 'alice@contoso.example', true)],
    [
      'response/confirm-run-operator',
      confirm({ ...device, kind: 'runAntivirusScan' }, 'run', 'Alice (slack:U0ALICE)', false),
    ],
    ['response/confirm-file-on-device', confirm(fileOnDevice, 'run', 'Alice (slack:U0ALICE)', true)],
    ['response/skip-form', confirm(device, 'skip', 'alice@contoso.example', false)],
    ['response/confirm-hostile', confirm(hostileTarget, 'run', hostile, true)],
  ];
}
