import type { KnownActionKind } from '../../bot/domain/enums.js';
import type { Incident, ResponseAction } from '../../bot/domain/incident.js';
import { isUnrecognised } from '../../bot/domain/tolerant.js';
import { cardLine, LIMITS, plainLine } from '../escape.js';
import { actionKindLabel } from '../format.js';
import type { CardMessage } from '../types.js';
import { responsePayload, VERBS } from '../verbs.js';
import { cardMessage, execute, md } from '../view.js';

// The confirmation before a guided-response run, and the skip form (issue 8.4): both name the target the
// way a person checks it — device name and id, user principal, file and hash — and say whether it is
// excluded, before anything is sent.

export interface ResponseConfirmInput {
  readonly incident: Incident;
  readonly action: ResponseAction;
  readonly mode: 'run' | 'skip';
  /** The record version the click saw: the confirm button carries it on. */
  readonly version: number;
  /** Who the decision will be recorded as ("Alice", or "Defender Experts" under operator access). */
  readonly recordedAs: string;
  readonly destructive: boolean;
}

const TARGET_LABELS: Record<ResponseAction['target']['type'], [string, string]> = {
  device: ['Device', 'Device id'],
  file: ['File', 'File hash'],
  user: ['User', 'User id'],
  mailMessage: ['Email message', 'Message id'],
  app: ['App', 'App id'],
};

/** What a destructive run does, in words, so nobody confirms an isolation they did not mean. */
const CONSEQUENCES: Partial<Record<KnownActionKind, string>> = {
  isolateDevice:
    'Isolation cuts the device off the network (only the Defender service stays reachable) until someone releases it.',
  restrictAppExecution:
    'Only Microsoft-signed applications will run on the device until the restriction is removed.',
  stopAndQuarantineFile: 'The file is stopped wherever it runs on the device and moved to quarantine.',
  disableUser: 'The account can no longer sign in until an admin enables it again.',
  forcePasswordReset: 'The user must change their password at the next sign-in.',
  revokeSessions:
    'Every session and refresh token of the user is revoked: they must sign in again everywhere.',
  softDeleteEmail: 'The message is moved out of the mailbox to Recoverable Items.',
  blockOAuthApp: 'The app can no longer be used or consented to in the tenant.',
};

/** The confirmation (run) or skip form for one action; Cancel goes back to the incident. */
export function responseConfirmCard(input: ResponseConfirmInput): CardMessage {
  const { incident, action } = input;
  const kind = plainLine(actionKindLabel(action.kind), LIMITS.name);
  const [typeLabel, idLabel] = TARGET_LABELS[action.target.type];
  const name = plainLine(action.target.name || action.target.id || 'unnamed', LIMITS.name);
  const facts: [string, string][] = [
    ['Action', kind],
    [typeLabel, name],
    [idLabel, plainLine(action.target.id || 'not given', LIMITS.name)],
    ['Excluded asset', action.target.excluded ? 'Yes — guidance only' : 'No'],
    ['Recorded as', plainLine(input.recordedAs, LIMITS.name)],
  ];
  const id = plainLine(incident.id, 64);
  const title = input.mode === 'run' ? `Run ${kind}?` : `Skip ${kind}?`;
  const known = isUnrecognised(action.kind) ? undefined : CONSEQUENCES[action.kind];
  const warning = input.mode === 'run' && input.destructive ? (known ?? '') : '';
  const question =
    input.mode === 'run'
      ? `This runs ${kind} on ${name} now, through ${action.target.type === 'user' ? 'Microsoft Entra' : 'Microsoft Defender'}. Nothing has been sent yet.`
      : `Skipping records that ${kind} on ${name} will not be done. Nothing has been recorded yet.`;
  const confirm =
    input.mode === 'run'
      ? execute(
          `Run: ${kind}`,
          responsePayload(VERBS.responseRunConfirm, incident.id, action.id, input.version),
        )
      : execute(
          'Skip this action',
          responsePayload(VERBS.responseSkipConfirm, incident.id, action.id, input.version),
        );
  const cancel = execute(
    'Cancel',
    responsePayload(VERBS.responseCancel, incident.id, action.id, input.version),
  );
  const subtitle = `Incident ${id} · ${plainLine(incident.displayName, LIMITS.title)}`;
  return cardMessage(
    'guided-response-confirm',
    {
      title: md(title),
      subtitle: md(subtitle),
      facts: facts.map(([t, v]) => ({ title: md(t), value: cardLine(v, LIMITS.line) })),
      hasWarning: warning !== '',
      warning: md(warning),
      question: md(question),
      askReason: input.mode === 'skip',
      confirm,
      confirmStyle: input.mode === 'run' && input.destructive ? 'destructive' : 'positive',
      cancel,
    },
    [title, subtitle, ...facts.map(([t, v]) => `${t}: ${v}`), warning, question],
  );
}
