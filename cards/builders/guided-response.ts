import type { KnownActionKind } from '../../bot/domain/enums.js';
import type { Incident, ResponseAction } from '../../bot/domain/incident.js';
import { isUnrecognised } from '../../bot/domain/tolerant.js';
import { cardLine, LIMITS, plainLine } from '../escape.js';
import { actionKindLabel } from '../format.js';
import type { CardMessage } from '../types.js';
import { responsePayload, VERBS } from '../verbs.js';
import { cardMessage, execute, md } from '../view.js';

// The confirmation before a guided-response run, and the skip form: both name the target the
// way a person checks it — device name and id, user principal, file and hash — and say whether it is
// excluded, before anything is sent.

export interface ResponseConfirmInput {
  readonly incident: Incident;
  readonly action: ResponseAction;
  readonly mode: 'run' | 'skip';
  /** The record version the click saw: the confirm button carries it on. */
  readonly version: number;
  /** Who the decision will be recorded as: the person, with their stable id ("Alice (slack:U0ALICE)"). */
  readonly recordedAs: string;
  /** For a run: the credential it goes out with (the bot's app registration), shown as a fact. */
  readonly runsWith?: string | null;
  /** For a run: the one-time confirmation token only this card carries (bot/response/confirmation.ts). */
  readonly confirmation?: string | null;
  readonly destructive: boolean;
  /** The executor is the embedded default's simulation: say so where the card names Microsoft's service. */
  readonly simulated?: boolean;
}

// A Defender file action names the device and the file: "<machine id>:<sha1>" (adapters/defender).
const FILE_ON_DEVICE = /^([0-9a-fA-F]{40}):([0-9a-fA-F]{40}|[0-9a-fA-F]{64})$/;

/** The target's facts: name and id, and for a file on a device, the hash and the device apart. */
function targetFacts(action: ResponseAction): [string, string][] {
  const [typeLabel, idLabel] = TARGET_LABELS[action.target.type];
  const name = plainLine(action.target.name || action.target.id || 'unnamed', LIMITS.name);
  const onDevice = action.target.type === 'file' ? FILE_ON_DEVICE.exec(action.target.id.trim()) : null;
  if (onDevice !== null) {
    const hash = onDevice[2] ?? '';
    return [
      [typeLabel, name],
      [hash.length === 40 ? 'File hash (SHA-1)' : 'File hash (SHA-256)', hash],
      ['On device (id)', onDevice[1] ?? ''],
    ];
  }
  return [
    [typeLabel, name],
    [idLabel, plainLine(action.target.id || 'not given', LIMITS.name)],
  ];
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
  forcePasswordReset:
    'The user must change their password at the next sign-in; whoever knows the current one can still set it, so pair it with Revoke sessions.',
  revokeSessions:
    'Every session and refresh token of the user is revoked: they must sign in again everywhere.',
  softDeleteEmail: 'The message is moved out of the mailbox to Recoverable Items.',
  blockOAuthApp: 'The app can no longer be used or consented to in the tenant.',
};

/** The confirmation (run) or skip form for one action; Cancel goes back to the incident. */
export function responseConfirmCard(input: ResponseConfirmInput): CardMessage {
  const { incident, action } = input;
  const kind = plainLine(actionKindLabel(action.kind), LIMITS.name);
  const name = plainLine(action.target.name || action.target.id || 'unnamed', LIMITS.name);
  const device =
    action.target.type === 'file' ? FILE_ON_DEVICE.exec(action.target.id.trim())?.[1] : undefined;
  const facts: [string, string][] = [
    ['Action', kind],
    ...targetFacts(action),
    ['Excluded asset', action.target.excluded ? 'Yes — guidance only' : 'No'],
    ['Recorded as', plainLine(input.recordedAs, LIMITS.name)],
    ...(input.mode === 'run' && input.runsWith
      ? [['Runs with', plainLine(input.runsWith, LIMITS.line)] as [string, string]]
      : []),
  ];
  const id = plainLine(incident.id, 64);
  // Kind labels are verbs already ("Run antivirus scan"): "Run Run antivirus scan?" reads badly.
  const title = input.mode === 'run' ? `${kind} now?` : `Skip ${kind}?`;
  const known = isUnrecognised(action.kind) ? undefined : CONSEQUENCES[action.kind];
  const warning = input.mode === 'run' && input.destructive ? (known ?? '') : '';
  const where = device === undefined ? '' : ` on device ${device}`;
  const question =
    input.mode === 'run'
      ? `This runs ${kind} on ${name}${where} now, through ${action.target.type === 'user' ? 'Microsoft Entra' : 'Microsoft Defender'}${input.simulated ? ' (simulated)' : ''}. Nothing has been sent yet.`
      : `Skip ${kind} on ${name}${where}? The reason goes into the incident's comments. Nothing has been recorded yet.`;
  const confirm =
    input.mode === 'run'
      ? execute(
          'Run now',
          responsePayload(
            VERBS.responseRunConfirm,
            incident.id,
            action.id,
            input.version,
            input.confirmation ?? undefined,
          ),
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
