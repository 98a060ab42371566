import type { Platform } from '../../bot/domain/actor.js';
import type { SdmContact } from '../../bot/domain/customer.js';
import type { ContactKind } from '../../bot/sdm/sdm-ports.js';
import { LIMITS, plainLine } from '../escape.js';
import { SDM_INPUTS, SDM_LIMITS, SDM_VERBS } from '../sdm-verbs.js';
import type { CardMessage } from '../types.js';
import { cardMessage, type ExecuteView, md } from '../view.js';

// `sdm`: who the customer's service delivery manager is, how to reach them, the next business
// review, and one form per way to contact them (message, escalation, feedback, preview opt-out, review).

export interface SdmCardInput {
  readonly customerName: string;
  readonly sdm: SdmContact | null;
  /** "Requested for 2026-12-03 (awaiting confirmation)" or the default rhythm. */
  readonly nextReview: string;
  /** The asker's platform: only its chat route is offered (a Slack DM means nothing in Teams). */
  readonly platform?: Platform;
}

export const CONTACT_LABELS: Readonly<Record<ContactKind, string>> = {
  message: 'Message',
  escalation: 'Escalate',
  feedback: 'Feedback',
  optOut: 'Opt out of the preview',
  bookReview: 'Book a review',
};

const button = (title: string, verb: string, data: { [k: string]: string }): ExecuteView => ({
  title: plainLine(title, 60),
  verb,
  data,
});

/** The SDM card with its five contact buttons. */
export function sdmCard(input: SdmCardInput): CardMessage {
  const customer = plainLine(input.customerName, LIMITS.name);
  const sdm = input.sdm;
  if (sdm === null) {
    const text = `${customer} has no service delivery manager in the bot configuration. Ask your provider to add one.`;
    return cardMessage(
      'sdm-contact',
      {
        title: md('Your service delivery manager'),
        subtitle: md(customer),
        facts: [],
        hint: md(text),
        actions: [],
      },
      ['Your service delivery manager', text],
    );
  }
  const name = plainLine(sdm.name, LIMITS.name);
  const reach = [
    sdm.email === null ? null : `email ${plainLine(sdm.email, LIMITS.name)}`,
    sdm.teamsUserId === null || input.platform !== 'teams' ? null : 'Teams chat',
    sdm.slackUserId === null || input.platform !== 'slack' ? null : 'Slack DM',
    'or the buttons below (or "sdm <message>")',
  ].filter((x): x is string => x !== null);
  const facts = [
    { title: 'Name', value: name },
    { title: 'How to reach', value: reach.join(', ') },
    { title: 'Next business review', value: plainLine(input.nextReview, LIMITS.line) },
  ];
  const kinds: readonly ContactKind[] = ['message', 'escalation', 'feedback', 'optOut', 'bookReview'];
  return cardMessage(
    'sdm-contact',
    {
      title: md('Your service delivery manager'),
      subtitle: md(customer),
      facts: facts.map((f) => ({ title: md(f.title), value: md(f.value) })),
      hint: md(`Messages and escalations reach ${name} directly, and replies come back here.`),
      actions: kinds.map((k) => button(CONTACT_LABELS[k], SDM_VERBS.sdmForm, { kind: k })),
    },
    [`Your service delivery manager: ${name}`, ...facts.map((f) => `${f.title}: ${f.value}`)],
  );
}

const FORMS: Readonly<
  Record<ContactKind, { title: string; intro: string; label: string; required: boolean; placeholder: string }>
> = {
  message: {
    title: 'Message your SDM',
    intro: 'Your SDM gets this as a direct message; their reply comes back in this conversation.',
    label: 'Message',
    required: true,
    placeholder: 'What would you like to tell or ask your SDM?',
  },
  escalation: {
    title: 'Escalate to your SDM',
    intro:
      'For service problems (a late handoff, a missed call, a disagreement with the experts). An active attack is not an escalation: use your incident-response plan and the Defender portal.',
    label: 'Reason',
    required: true,
    placeholder: 'What went wrong, and what outcome do you need?',
  },
  feedback: {
    title: 'Feedback for the service',
    intro: 'Praise, complaints and ideas all help; your SDM reads every one.',
    label: 'Feedback',
    required: true,
    placeholder: 'What works, what does not?',
  },
  optOut: {
    title: 'Opt out of the preview',
    intro:
      'This asks your SDM to take your organisation out of the preview programme. Nothing changes until they confirm with you.',
    label: 'Reason (optional)',
    required: false,
    placeholder: 'Why you want to opt out',
  },
  bookReview: {
    title: 'Book a business review',
    intro: 'Pick a date that suits you; your SDM confirms the time.',
    label: 'Topics (optional)',
    required: false,
    placeholder: 'What you would like to review',
  },
};

/** The form for one kind of contact; the flow validates what comes back. */
export function sdmFormCard(kind: ContactKind): CardMessage {
  const f = FORMS[kind];
  return cardMessage(
    'sdm-form',
    {
      title: md(f.title),
      intro: md(f.intro),
      hasSeverity: kind === 'escalation',
      hasDate: kind === 'bookReview',
      ids: { ...SDM_INPUTS },
      textLabel: f.label,
      textRequired: f.required,
      maxLength: SDM_LIMITS.text,
      placeholder: f.placeholder,
      actions: [button('Send', SDM_VERBS.sdmSend, { kind }), button('Back', SDM_VERBS.sdmShow, {})],
    },
    [f.title, f.intro],
  );
}
