import { randomInt } from 'node:crypto';
import type { UserCheckStatusInput } from '../../cards/index.js';
import { userCheckQuestionCard, userCheckStatusCard } from '../../cards/index.js';
import type { Actor, Platform } from '../domain/actor.js';
import type { ConversationRef } from '../domain/conversation.js';
import type { Customer } from '../domain/customer.js';
import type { Incident } from '../domain/incident.js';
import {
  ANSWER_LABELS,
  affectedUsers,
  type PersonAddress,
  seenFor,
  type UserCheck,
  type UserCheckAnswer,
} from '../domain/user-check.js';
import { ChatDeliveryError } from '../errors.js';
import type { Reply } from '../ports.js';
import { cardReply } from '../replies.js';
import { personName } from '../response/state.js';
import { queueAlertRedraw } from './alert-card.js';
import type { UserCheckDeps } from './deps.js';
import { sayInThreads, tellRequester, tellResponders, writeComment } from './publish.js';

// "Was this you?": asks the person an incident's evidence names, in a direct message on the customer's
// platform; takes the answer from that person alone; writes it to the incident and tells the threads.
// Reminders and comment retries are the periodic pass's (reminders.ts).

const ALPHABET = '23456789ABCDEFGHJKLMNPQRSTUVWXYZ';
const newId = (): string =>
  `UC-${Array.from({ length: 6 }, () => ALPHABET[randomInt(ALPHABET.length)] ?? 'X').join('')}`;

const status = (input: UserCheckStatusInput, ephemeral = true): Reply => ({
  ...cardReply(userCheckStatusCard(input)),
  ephemeral,
});

const PLATFORM_LABEL: Readonly<Record<Platform, string>> = {
  teams: 'Microsoft Teams',
  slack: 'Slack',
  web: 'the dev console',
};

/** The platform the customer's person is asked on: the requester's own when the customer is there. */
export function platformFor(customer: Customer, requester: Platform, available: (p: Platform) => boolean) {
  const on = (p: Platform): boolean =>
    available(p) &&
    (p === 'web' ? true : p === 'teams' ? customer.teamsTenantId !== null : customer.slackTeamId !== null);
  if (requester === 'web') return on('web') ? 'web' : null;
  const order: Platform[] = [requester, 'teams', 'slack'];
  return order.find((p) => p !== 'web' && on(p)) ?? null;
}

/** Where the requester is told things later: their DM, or what opens one on their platform. */
export function addressOf(actor: Actor, conversation: ConversationRef): PersonAddress {
  const p = actor.principal;
  return {
    platform: p.platform,
    // Teams opens a 1:1 from an adapter-built conversation id (it carries the tenant and service URL).
    workspace: p.platform === 'teams' ? conversation.id : p.workspaceId,
    userId: p.userId,
    name: personName(p),
    direct: conversation.kind === 'personal' ? { ...conversation, threadId: null } : null,
  };
}

export interface AskInput {
  readonly actor: Actor;
  readonly customer: Customer;
  readonly incident: Incident;
  readonly upn: string;
  readonly conversation: ConversationRef;
}

export interface UserCheckService {
  ask(input: AskInput): Promise<readonly Reply[]>;
  answer(input: {
    actor: Actor;
    customer: Customer;
    id: string;
    answer: UserCheckAnswer;
    note: string | null;
  }): Promise<readonly Reply[]>;
  cancel(input: { actor: Actor; customer: Customer; id: string }): Promise<readonly Reply[]>;
  readonly deps: UserCheckDeps;
}

const facts = (check: UserCheck, customer: Customer): (readonly [string, string])[] => [
  ['Incident', check.incidentId],
  ['Customer', customer.name],
  ['Person', check.upn],
  ['Seen', check.seen],
  ['Asked in', PLATFORM_LABEL[check.platform]],
];

/** Creates the service over its ports. */
export function createUserCheckService(deps: UserCheckDeps): UserCheckService {
  const { checks, clock, logger } = deps;

  /** Redraws the incident's alert card in each bound channel of this customer to show the question. */
  async function redrawAlerts(check: UserCheck, line: string): Promise<void> {
    try {
      if ((await queueAlertRedraw(deps.store, check, line, clock.now())) > 0) deps.alertsQueued?.();
    } catch (error) {
      logger.warn({ err: error, check: check.id }, 'user check: alert cards not redrawn');
    }
  }

  const unreachable = (upn: string, reason: string): Reply =>
    status({
      title: `Could not ask ${upn}`,
      text: `${reason} Nothing was sent; ask them another way (phone, in person), and see the docs for what the platform needs.`,
      tone: 'warning',
      facts: [],
      cancel: null,
    });

  async function ask(input: AskInput): Promise<readonly Reply[]> {
    const { actor, customer, incident, conversation } = input;
    const named = affectedUsers(incident).find((u) => u.upn.toLowerCase() === input.upn.toLowerCase());
    if (named === undefined)
      return [unreachable(input.upn, `Incident ${incident.id}'s evidence does not name ${input.upn}.`)];
    const platform = platformFor(customer, actor.principal.platform, (p) => deps.reachFor(p) !== undefined);
    const reach = platform === null ? undefined : deps.reachFor(platform);
    const chat = platform === null ? undefined : deps.chatFor(platform);
    if (platform === null || reach === undefined || chat === undefined)
      return [unreachable(named.upn, `${customer.name} has no Teams tenant or Slack workspace I can reach.`)];
    const found = await reach.find({ customer, upn: named.upn, objectId: named.objectId, via: conversation });
    if (found.kind === 'unreachable') {
      logger.info({ customer: customer.id, incidentId: incident.id, platform }, 'user check: unreachable');
      return [unreachable(named.upn, found.reason)];
    }
    const { check, created } = await checks.create({
      id: newId(),
      customerId: customer.id,
      incidentId: incident.id,
      upn: named.upn,
      platform,
      targetUserId: found.userId,
      dm: found.dm,
      seen: seenFor(incident, named.upn),
      requesterId: actor.qualifiedId,
      requester: addressOf(actor, conversation),
      createdAt: clock.now().toISOString(),
    });
    if (!created)
      return [
        status({
          title: `${check.upn} was already asked`,
          text: `Asked by ${check.requester.name} at ${check.createdAt}; no answer yet. You will hear here when they answer.`,
          tone: 'info',
          facts: facts(check, customer),
          cancel: { k: check.id, c: customer.id },
        }),
      ];
    try {
      const posted = await chat.post(found.dm, cardReply(question(check, customer, null)));
      await checks.setSent(customer.id, check.id, posted.messageId);
    } catch (error) {
      const reason =
        error instanceof ChatDeliveryError
          ? `${PLATFORM_LABEL[platform]} would not open a direct message with them (${error.failure}): the app may not be installed for them.`
          : 'Sending the question failed.';
      logger.warn({ err: error, customer: customer.id, check: check.id }, 'user check: not sent');
      await checks.setUnreachable(customer.id, check.id, reason);
      return [unreachable(check.upn, reason)];
    }
    logger.info(
      { customer: customer.id, incidentId: incident.id, check: check.id, platform },
      'user check asked',
    );
    const line = status(
      {
        title: `Asked ${check.upn}: was this you?`,
        text: `${check.requester.name} asked them in ${PLATFORM_LABEL[platform]}. Only they can answer; a reminder goes after 1 hour.`,
        tone: 'info',
        facts: facts(check, customer),
        cancel: null,
      },
      false,
    );
    await redrawAlerts(check, `Asked ${check.upn} whether this was them.`);
    await sayInThreads(deps, customer, check, line, `${check.id}:asked`).catch((error: unknown) =>
      logger.warn({ err: error, check: check.id }, 'user check: threads not told'),
    );
    return [
      status({
        title: `Asked ${check.upn}: was this you?`,
        text: `The question went to them in ${PLATFORM_LABEL[platform]}. You will hear here when they answer; without an answer they are reminded after 1 hour and you are told after 4.`,
        tone: 'info',
        facts: facts(check, customer),
        cancel: { k: check.id, c: customer.id },
      }),
    ];
  }

  function question(check: UserCheck, customer: Customer, closed: string | null, reminder = false) {
    return userCheckQuestionCard({
      checkId: check.id,
      customerName: customer.name,
      incidentId: check.incidentId,
      seen: check.seen,
      askedBy: check.requester.name,
      closed,
      reminder,
    });
  }

  const refused = (text: string): Reply => ({
    text: `Not done: ${text}`,
    card: null,
    mode: 'new',
    ephemeral: true,
  });

  /** Only the person asked: same platform, same id, and (where the platform can say) still that person. */
  async function isTarget(actor: Actor, customer: Customer, check: UserCheck): Promise<boolean> {
    const p = actor.principal;
    // Teams object ids are GUIDs, compared in lower case like the customers file's; other ids exactly.
    const same = (a: string, b: string): boolean =>
      check.platform === 'teams' ? a.toLowerCase() === b.toLowerCase() : a === b;
    if (p.platform !== check.platform || check.targetUserId === null || !same(p.userId, check.targetUserId))
      return false;
    const reach = deps.reachFor(check.platform);
    return reach !== undefined && (await reach.confirm(customer, check.upn, p.userId));
  }

  async function answer(input: Parameters<UserCheckService['answer']>[0]): Promise<readonly Reply[]> {
    const { actor, customer } = input;
    const check = await checks.get(customer.id, input.id);
    const notYours = refused('this question was asked of someone else; only they can answer it.');
    if (check === null || !(await isTarget(actor, customer, check))) {
      logger.warn(
        { customer: customer.id, check: input.id, by: actor.qualifiedId },
        'user check: answer refused',
      );
      return [notYours];
    }
    if (check.state !== 'asked') return [closedReply(check, customer)];
    const note = input.note?.trim() ?? '';
    if (note.length > 500) return [refused(`keep the note under 500 characters (yours had ${note.length}).`)];
    const at = clock.now().toISOString();
    const answered = await checks.answer(customer.id, check.id, input.answer, note === '' ? null : note, at);
    if (answered === null) {
      const now = await checks.get(customer.id, check.id);
      return [closedReply(now ?? check, customer)];
    }
    logger.info({ customer: customer.id, check: check.id, answer: input.answer }, 'user check answered');
    await publishAnswer(customer, answered);
    return [
      {
        ...cardReply(
          question(
            answered,
            customer,
            `You answered "${ANSWER_LABELS[input.answer]}". Thank you — ${customer.name}'s security team has your answer.`,
          ),
          'replace',
        ),
        ephemeral: true,
      },
    ];
  }

  function closedReply(check: UserCheck, customer: Customer): Reply {
    const why =
      check.state === 'answered' && check.answer !== null
        ? `Already answered: "${ANSWER_LABELS[check.answer]}".`
        : check.state === 'cancelled'
          ? 'This question was withdrawn; nothing more is needed from you.'
          : 'This question is closed.';
    return { ...cardReply(question(check, customer, why), 'replace'), ephemeral: true };
  }

  async function publishAnswer(customer: Customer, check: UserCheck): Promise<void> {
    const no = check.answer === 'no';
    const label = check.answer === null ? '' : ANSWER_LABELS[check.answer];
    await redrawAlerts(check, `${check.upn} answered "Was this you?": ${label}.`);
    await writeComment(deps, customer, check);
    const news = status(
      {
        title: no ? `URGENT: ${check.upn} says this wasn't them` : `${check.upn} answered: ${label}`,
        text: no
          ? 'Treat the account as compromised until shown otherwise. Next step (not done by the bot): step-up verification (MFA) of the user, and the guided-response actions on the account.'
          : `Their answer is in the incident's comments.${check.note === null ? '' : ` Note: ${check.note}`}`,
        tone: no ? 'urgent' : 'info',
        facts: [...facts(check, customer), ...(check.note === null ? [] : [['Note', check.note] as const])],
        cancel: null,
      },
      false,
    );
    await sayInThreads(deps, customer, check, news, `${check.id}:answer`).catch((error: unknown) =>
      logger.warn({ err: error, check: check.id }, 'user check: threads not told'),
    );
    await tellRequester(deps, check, news);
    if (no) await tellResponders(deps, customer, check, news);
  }

  async function cancel(input: Parameters<UserCheckService['cancel']>[0]): Promise<readonly Reply[]> {
    const { actor, customer } = input;
    const check = await checks.get(customer.id, input.id);
    if (check === null) return [refused('no such question.')];
    const name = personName(actor.principal);
    const done = await checks.cancel(customer.id, check.id, name, clock.now().toISOString());
    if (done === null) return [closedReply(check, customer)].map((r) => ({ ...r, mode: 'new' as const }));
    const chat = deps.chatFor(done.platform);
    if (chat !== undefined && done.dm !== null && done.dmMessageId !== null) {
      await chat
        .update(
          done.dm,
          done.dmMessageId,
          cardReply(question(done, customer, `Withdrawn by ${name}: nothing more is needed from you.`)),
        )
        .catch((error: unknown) =>
          logger.warn({ err: error, check: done.id }, 'user check: question not withdrawn'),
        );
    }
    await redrawAlerts(done, `The question to ${done.upn} was withdrawn by ${name}.`);
    logger.info({ customer: customer.id, check: done.id, by: actor.qualifiedId }, 'user check withdrawn');
    return [
      status({
        title: `Question to ${done.upn} withdrawn`,
        text: 'Their card now says so; an answer is no longer taken.',
        tone: 'info',
        facts: facts(done, customer),
        cancel: null,
      }),
    ];
  }

  return { ask, answer, cancel, deps };
}
