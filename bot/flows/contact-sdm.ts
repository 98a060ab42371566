import { createHash, randomUUID } from 'node:crypto';
import { sdmCard, sdmFormCard } from '../../cards/builders/sdm-contact.js';
import { noticeCard } from '../../cards/index.js';
import { isIsoDate, SDM_LIMITS, type SdmSendData } from '../../cards/sdm-verbs.js';
import type { Reply } from '../ports.js';
import { cardReply } from '../replies.js';
import { CONTACT_RETRY_MS, deliverStored } from '../sdm/contact-retry.js';
import { type ContactKind, ESCALATION_SEVERITIES, type EscalationSeverity } from '../sdm/sdm-ports.js';
import type { CustomerContext, FlowContext } from './context.js';

// `sdm`, `sdm <message>`, `escalate [low|medium|high] <reason>` and the SDM card's forms.
// Every request is recorded, then handed to the SDM through the relay, which carries the replies.

const DEDUP_SECONDS = 600;

/** What the confirmation calls each kind of request. */
const SENT_NOUNS: Readonly<Record<ContactKind, string>> = {
  message: 'message',
  escalation: 'escalation',
  feedback: 'feedback',
  optOut: 'request to opt out of the preview',
  bookReview: 'review booking request',
};

const notice = (title: string, text: string, tone: 'info' | 'warning', mode: Reply['mode'] = 'new'): Reply =>
  cardReply(noticeCard({ title, text, tone }), mode);

const monthName = (d: Date): string =>
  d.toLocaleString('en-GB', { month: 'long', year: 'numeric', timeZone: 'UTC' });

/** The SDM card for the caller's customer. */
export async function showSdm(ctx: CustomerContext, mode: Reply['mode']): Promise<readonly Reply[]> {
  const now = ctx.clock.now();
  const today = now.toISOString().slice(0, 10);
  const recent = ctx.sdm === undefined ? [] : await ctx.sdm.store.listContactRequests(ctx.customer.id, 50);
  const booked = recent.find(
    (r) => r.kind === 'bookReview' && r.preferredDate !== null && r.preferredDate >= today,
  );
  const next = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1));
  const nextReview =
    booked?.preferredDate != null
      ? `Requested for ${booked.preferredDate} (awaiting your SDM’s confirmation)`
      : `Monthly; the next is due in the first week of ${monthName(next)}. Book a date below.`;
  return [
    cardReply(
      sdmCard({
        customerName: ctx.customer.name,
        sdm: ctx.customer.sdm,
        nextReview,
        platform: ctx.conversation.platform,
      }),
      mode,
    ),
  ];
}

/** The form of one contact kind, replacing the SDM card. */
export async function showSdmForm(ctx: CustomerContext, kind: ContactKind): Promise<readonly Reply[]> {
  if (ctx.customer.sdm === null) return showSdm(ctx, 'replace');
  return [cardReply(sdmFormCard(kind), 'replace')];
}

/** Checks a filled-in form; a string is the problem to tell the user (nothing is sent then). */
export function validateContact(
  d: SdmSendData,
  now: Date,
):
  | {
      readonly severity: EscalationSeverity | null;
      readonly text: string;
      readonly preferredDate: string | null;
    }
  | string {
  const text = (d.text ?? '').trim();
  if (text.length > SDM_LIMITS.text)
    return `Please keep it under ${SDM_LIMITS.text} characters (yours had ${text.length}).`;
  const needsText = d.kind === 'message' || d.kind === 'escalation' || d.kind === 'feedback';
  if (needsText && text === '') return 'Please write a few words: the text is empty.';
  let severity: EscalationSeverity | null = null;
  if (d.kind === 'escalation') {
    if (d.severity === undefined || !(ESCALATION_SEVERITIES as readonly string[]).includes(d.severity))
      return 'Pick a severity: low, medium or high.';
    severity = d.severity as EscalationSeverity;
  }
  let preferredDate: string | null = null;
  if (d.kind === 'bookReview') {
    if (d.preferredDate === undefined || !isIsoDate(d.preferredDate))
      return 'Pick the date you would like the review on.';
    if (d.preferredDate < now.toISOString().slice(0, 10))
      return 'That date is in the past: pick today or later.';
    preferredDate = d.preferredDate;
  }
  return { severity, text, preferredDate };
}

/** Records a request and hands it to the SDM; answers with what happened. */
export async function sendToSdm(
  ctx: CustomerContext,
  d: SdmSendData,
  mode: Reply['mode'],
): Promise<readonly Reply[]> {
  const sdm = ctx.sdm;
  const contact = ctx.customer.sdm;
  if (sdm === undefined || contact === null)
    return [
      notice(
        'No SDM configured',
        `${ctx.customer.name} has no service delivery manager in the bot configuration. Nothing was sent.`,
        'warning',
        mode,
      ),
    ];
  const now = ctx.clock.now();
  const checked = validateContact(d, now);
  if (typeof checked === 'string') return [notice('Not sent', `${checked} Nothing was sent.`, 'warning')];
  const digest = createHash('sha256')
    .update(JSON.stringify([ctx.actor.qualifiedId, d.kind, checked.text, checked.severity, d.preferredDate]))
    .digest('hex')
    .slice(0, 32);
  // Recorded (with its dedup fingerprint) before anything is sent: a resend of an undelivered request
  // finishes delivering the stored one instead of answering "already sent" (openPair is idempotent).
  const { request, created } = await sdm.store.recordContactRequest(
    {
      id: randomUUID(),
      customerId: ctx.customer.id,
      kind: d.kind,
      severity: checked.severity,
      text: checked.text,
      preferredDate: checked.preferredDate,
      fromUser: ctx.actor.qualifiedId,
      fromName: ctx.actor.principal.displayName,
      createdAt: now.toISOString(),
      conversation: { ...ctx.conversation, threadId: null },
      deliveredAt: null,
    },
    digest,
    new Date(now.getTime() - DEDUP_SECONDS * 1000).toISOString(),
  );
  if (!created && request.deliveredAt !== null)
    return [
      notice('Already sent', 'You sent exactly this a moment ago; it was not sent twice.', 'info', mode),
    ];
  const outcome = await deliverStored(
    { store: sdm.store, contact: sdm.contact, logger: ctx.logger },
    request,
    ctx.directory,
    now,
  );
  const label = SENT_NOUNS[request.kind];
  const sev = request.severity === null ? '' : ` (${request.severity} severity)`;
  const reach = contact.email === null ? '' : ` You can also email ${contact.email}.`;
  return [
    outcome.status === 'delivered'
      ? notice(
          `Sent to ${contact.name}`,
          `Your ${label}${sev} reached ${contact.name} (${outcome.where}). Their reply comes back here.`,
          'info',
          mode,
        )
      : notice(
          'Recorded, not delivered yet',
          `Your ${label}${sev} is recorded, but ${contact.name} could not be reached in chat right now. ` +
            `We keep trying for ${CONTACT_RETRY_MS / 86_400_000} days; their reply will come back here.${reach}`,
          'warning',
          mode,
        ),
  ];
}

/**
 * `sdm <message>` / `escalate [low|medium|high] <reason>` typed as commands (`urgent`/`critical` = high;
 * no level = medium, which the confirmation says).
 */
export async function sdmCommand(
  ctx: FlowContext & CustomerContext,
  kind: 'message' | 'escalation',
  text: string,
): Promise<readonly Reply[]> {
  if (kind === 'message') return sendToSdm(ctx, { kind, text }, 'new');
  const m = /^(low|medium|high|urgent|critical)\b[\s:,-]*/i.exec(text);
  const word = (m?.[1] ?? 'medium').toLowerCase();
  // "urgent" and "critical" are what people type for the top level; the confirmation echoes "high".
  const severity = word === 'urgent' || word === 'critical' ? 'high' : word;
  return sendToSdm(ctx, { kind, text: m ? text.slice(m[0].length) : text, severity }, 'new');
}
