import { userCheckQuestionCard, userCheckStatusCard } from '../../cards/index.js';
import type { Customer } from '../domain/customer.js';
import type { UserCheck } from '../domain/user-check.js';
import { cardReply } from '../replies.js';
import { ESCALATE_AFTER_MS, MAX_COMMENT_ATTEMPTS, REMIND_AFTER_MS, type UserCheckDeps } from './deps.js';
import { tellRequester, writeComment } from './publish.js';

// The periodic pass of "Was this you?", on the injected clock: a question unanswered for an hour is
// reminded once (a new message in the person's DM), one unanswered for four hours is reported to the
// requester once; answers whose comment did not reach the incident are tried again. Each stage is stamped in
// the store before it is sent, so two instances or a restart never send it twice.

const BATCH = 200;

export interface UserCheckPass {
  /** One pass; returns what it did (for tests and logs). */
  runOnce(): Promise<{ reminded: number; escalated: number; commented: number }>;
  start(intervalMs: number): void;
  stop(): Promise<void>;
}

/** Creates the pass over the service's ports. */
export function createUserCheckPass(deps: UserCheckDeps): UserCheckPass {
  const { checks, clock, logger } = deps;
  const customers = new Map<string, Customer>(deps.directory.customers.map((c) => [c.id, c]));
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<unknown> | null = null;

  async function remind(check: UserCheck, customer: Customer, at: string): Promise<boolean> {
    if (!(await checks.markStage(customer.id, check.id, 'reminded', at))) return false;
    const chat = deps.chatFor(check.platform);
    if (chat === undefined || check.dm === null) return false;
    const card = userCheckQuestionCard({
      checkId: check.id,
      customerName: customer.name,
      incidentId: check.incidentId,
      seen: check.seen,
      askedBy: check.requester.name,
      closed: null,
      reminder: true,
    });
    try {
      await chat.post(check.dm, cardReply(card));
    } catch (error) {
      logger.warn({ err: error, check: check.id }, 'user check: reminder not delivered');
    }
    return true;
  }

  async function escalate(check: UserCheck, customer: Customer, at: string): Promise<boolean> {
    if (!(await checks.markStage(customer.id, check.id, 'escalated', at))) return false;
    const card = userCheckStatusCard({
      title: `${check.upn} has not answered in 4 hours`,
      text: 'They were reminded after 1 hour. Reach them another way (phone, in person), or withdraw the question.',
      tone: 'warning',
      facts: [
        ['Incident', check.incidentId],
        ['Seen', check.seen],
        ['Asked at', check.createdAt],
      ],
      cancel: { k: check.id, c: customer.id },
    });
    await tellRequester(deps, check, cardReply(card));
    return true;
  }

  async function runOnce() {
    const now = clock.now();
    const at = now.toISOString();
    let reminded = 0;
    let escalated = 0;
    const due = await checks.listAskedBefore(new Date(now.getTime() - REMIND_AFTER_MS).toISOString(), BATCH);
    for (const check of due) {
      const customer = customers.get(check.customerId);
      if (customer === undefined) continue;
      const age = now.getTime() - Date.parse(check.createdAt);
      if (check.remindedAt === null && (await remind(check, customer, at))) reminded += 1;
      if (age >= ESCALATE_AFTER_MS && check.escalatedAt === null && (await escalate(check, customer, at)))
        escalated += 1;
    }
    let commented = 0;
    for (const check of await checks.listUncommented(MAX_COMMENT_ATTEMPTS, BATCH)) {
      const customer = customers.get(check.customerId);
      if (customer === undefined) continue;
      await writeComment(deps, customer, check);
      commented += 1;
    }
    if (reminded + escalated > 0) logger.info({ reminded, escalated }, 'user checks reminded');
    return { reminded, escalated, commented };
  }

  return {
    runOnce,
    start(intervalMs) {
      if (timer !== null) return;
      timer = setInterval(() => {
        running ??= runOnce()
          .catch((error: unknown) => logger.error({ err: error }, 'user check pass failed'))
          .finally(() => {
            running = null;
          });
      }, intervalMs);
      timer.unref();
    },
    async stop() {
      if (timer !== null) clearInterval(timer);
      timer = null;
      await running;
    },
  };
}
