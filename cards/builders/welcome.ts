import type { Role } from '../../bot/domain/actor.js';
import { LIMITS, plainLine } from '../escape.js';
import { rolesLabel } from '../format.js';
import type { CardMessage } from '../types.js';
import { helpPayload, listPayload } from '../verbs.js';
import { cardMessage, type ExecuteView, execute, md } from '../view.js';

// The first message after install or when someone new says hello: what the bot is for, in one glance,
// and the two buttons most people need first.

export interface WelcomeInput {
  /** Null where the conversation may not name the customer (shared with another organisation). */
  readonly customerName: string | null;
  /** Null with `customerName`: the viewer's role is not said there either. */
  readonly roles: ReadonlySet<Role> | null;
}

const POINTS = [
  'I post here when Defender Experts hand an incident over to you, and keep that post up to date.',
  'Ask me about incidents: what awaits your action, what the experts are investigating, any incident in detail.',
  'Reply in an incident’s thread to talk with the experts; a new top-level post does not reach them.',
] as const;

/** Greets a linked customer's user and points to the incident lists and help. */
export function welcomeCard(input: WelcomeInput): CardMessage {
  const title =
    input.customerName === null
      ? 'Welcome to Defender Experts'
      : `Welcome to Defender Experts, ${plainLine(input.customerName, LIMITS.name)}`;
  const intro = 'I bring the Microsoft Defender Experts service into this chat.';
  const rolesLine =
    input.roles === null
      ? 'This conversation includes other organisations: what concerns your organisation comes to you privately.'
      : `Your role: ${rolesLabel(input.roles)}`;
  const hint = 'Send "help" at any time to see everything I can do for you.';
  const actions: ExecuteView[] = [
    execute('Awaiting my action', listPayload('awaiting', null, 0)),
    execute('Open incidents', listPayload('open', null, 0)),
    execute('Help', helpPayload()),
  ];
  return cardMessage(
    'welcome',
    {
      title: md(title),
      intro: md(intro),
      points: POINTS.map((p) => ({ text: md(`• ${p}`) })),
      rolesLine: md(rolesLine),
      hint: md(hint),
      actions,
    },
    [title, intro, ...POINTS.map((p) => `- ${p}`), rolesLine, hint],
  );
}
