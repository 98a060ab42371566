import { noticeCard, unlinkedWorkspaceCard } from '../cards/index.js';
import { actionFor, actions, parseActionPayload } from './actions/registry.js';
import { confineReplies, decideAudience, mayAnswerOpenly } from './audience.js';
import { type Permission, permits } from './authz/grants.js';
import { resolveActor } from './authz/resolve-actor.js';
import { parseCommand } from './commands/parse.js';
import { commandNamed, commands } from './commands/registry.js';
import type { Customer } from './domain/customer.js';
import { BotError } from './errors.js';
import type { FlowContext, FlowDeps } from './flows/context.js';
import { createLookupGuard } from './flows/incident-lookup.js';
import type { Reply, Turn } from './ports.js';
import { relayInbound } from './relay/relay-inbound.js';
import { cardReply, textReply } from './replies.js';

// The core's single entry point for inbound turns: de-duplicate, resolve the caller, route, authorize,
// run the flow, and map every failure to a safe answer in one place.

/** Longest message the bot reads; longer text gets a polite refusal and changes nothing. */
export const MAX_TEXT_LENGTH = 4000;
const DEDUP_RETAIN_SECONDS = 24 * 3600;

export type TurnOutcome = 'ok' | 'duplicate' | 'unlinked' | 'refused' | 'bad_input' | 'error';

/** Hooks for metrics; the HTTP adapter wires them to Prometheus. */
export interface TurnObserver {
  turnFinished(kind: Turn['input']['kind'], outcome: TurnOutcome, seconds: number): void;
}

export interface Bot {
  /** Answers one inbound delivery. A redelivery of the same platform id answers nothing the second time. */
  handleTurn(turn: Turn): Promise<readonly Reply[]>;
}

const notice = (title: string, text: string, tone: 'info' | 'warning' | 'error'): Reply =>
  cardReply(noticeCard({ title, text, tone }));

const ROLE_NAMES = { analyst: 'analysts', responder: 'responders', admin: 'admins' } as const;

/** The refusal when the permission table does not admit the caller; it names who may, never what exists. */
function refusal(ctx: FlowContext, permission: Permission): Reply {
  if (ctx.customer === null && ctx.actor.roles.has('sdm') && !ctx.actor.roles.has('expert')) {
    // The SDM has no queue: point to what an SDM does here.
    return notice(
      'Not available here',
      'That works in a customer’s workspace, for the customer’s own people. As their SDM, try "report <customer> <period>", "checkin" or "help".',
      'info',
    );
  }
  if (ctx.customer === null && permission.who.includes('sdm')) {
    return notice(
      'For customers and their SDM',
      'Only a customer’s people and their SDM can do that.',
      'info',
    );
  }
  if (ctx.customer === null) {
    return notice(
      'Not available here',
      'That works in a customer’s workspace. In the experts’ workspace, customer requests reach you in the queue.',
      'info',
    );
  }
  const names = permission.who.flatMap((g) =>
    g in ROLE_NAMES ? [ROLE_NAMES[g as keyof typeof ROLE_NAMES]] : [],
  );
  if (names.length === 0) {
    const provider = permission.who.flatMap((g) =>
      g === 'expert' ? ['Defender Experts'] : g === 'sdm' ? ['service delivery managers'] : [],
    );
    return notice(
      'Not allowed',
      `Only ${provider.join(' and ')} can do that. Your request was not changed.`,
      'warning',
    );
  }
  const who = `${ctx.customer.name} ${names.join(' and ')}`;
  if (permission.doing !== undefined) return textReply(`Not done: Only ${who} can ${permission.doing}.`);
  return notice(
    'Not allowed',
    `Only ${who} can do that. Ask one of them, or your admin to add you in the bot configuration.`,
    'warning',
  );
}

/** Builds the bot over its dependencies (the composition root passes real adapters). */
export function createBot(deps: FlowDeps & { readonly observer?: TurnObserver }): Bot {
  // A command or verb registered twice throws here, at start-up, not at the first message.
  commands();
  actions();
  const customers = new Map<string, Customer>(deps.directory.customers.map((c) => [c.id, c]));
  const lookups = deps.lookups ?? createLookupGuard();

  const audienceOf = (turn: Turn) =>
    decideAudience(deps.directory, turn.principal.platform, turn.principal.workspaceId, turn.audience);

  /**
   * Where others than the person's own organisation (and the provider) can read the conversation, every
   * answer goes to the person alone: one rule for every flow, refusal and error notice.
   */
  function confine(turn: Turn, replies: readonly Reply[]): readonly Reply[] {
    if (replies.length === 0) return replies;
    const actor = resolveActor(deps.directory, turn.principal);
    return mayAnswerOpenly(audienceOf(turn), actor) ? replies : confineReplies(replies);
  }

  async function run(turn: Turn): Promise<{ replies: readonly Reply[]; outcome: TurnOutcome }> {
    const fresh =
      turn.claimed === true ||
      (await deps.store.claimOnce(
        `turn:${turn.principal.platform}:${turn.deliveryId}`,
        DEDUP_RETAIN_SECONDS,
      ));
    if (!fresh) return { replies: [], outcome: 'duplicate' };
    const actor = resolveActor(deps.directory, turn.principal);
    // Channel chatter, edits and deletions are the relay's business only: never answered with a card.
    const quiet =
      turn.input.kind === 'message' && (turn.input.addressed === false || turn.input.change !== undefined);
    if (!actor.linked && quiet) return { replies: [], outcome: 'unlinked' };
    if (!actor.linked) {
      const card = unlinkedWorkspaceCard({
        platform: turn.principal.platform,
        workspaceId: turn.principal.workspaceId,
      });
      return { replies: [cardReply(card)], outcome: 'unlinked' };
    }
    const customer = actor.customerId === null ? null : (customers.get(actor.customerId) ?? null);
    const ctx: FlowContext = {
      ...deps,
      lookups,
      actor,
      customer,
      conversation: turn.conversation,
      audience: audienceOf(turn),
      ...(turn.input.kind === 'message' && turn.input.messageId !== undefined
        ? { messageId: turn.input.messageId }
        : {}),
    };
    const input = turn.input;

    if (input.kind === 'action') {
      const payload = parseActionPayload(input.verb, input.data);
      if (payload === null) {
        const text =
          actionFor(input.verb) !== undefined
            ? 'That button sent data I cannot use. Send the command again instead.'
            : 'That button is from an older card. Send "help" to start again.';
        return { replies: [notice('Cannot do that', text, 'warning')], outcome: 'bad_input' };
      }
      const action = actionFor(payload.verb);
      if (action === undefined) throw new BotError('bad_input', `no route for verb ${payload.verb}`);
      if (!permits(actor, action.requires))
        // A refused click is told to the clicker alone (Slack ephemeral, Teams invoke answer).
        return { replies: [{ ...refusal(ctx, action.requires), ephemeral: true }], outcome: 'refused' };
      // The payload's data passed this definition's schema, so its handler accepts it.
      return { replies: await action.handle(ctx, payload.data), outcome: 'ok' };
    }

    if (input.text.length > MAX_TEXT_LENGTH) {
      return {
        replies: [
          notice(
            'Message too long',
            `Please keep messages under ${MAX_TEXT_LENGTH.toLocaleString('en-US')} characters (yours had ${input.text.length.toLocaleString('en-US')}). Nothing was sent.`,
            'warning',
          ),
        ],
        outcome: 'bad_input',
      };
    }
    // A message in a paired thread is relayed, not parsed (bot/relay); chatter and edits stop here.
    if (deps.relay !== undefined) {
      const relayed = await relayInbound(
        {
          relay: deps.relay,
          store: deps.store,
          directory: deps.directory,
          queue: deps.questions?.queue ?? null,
        },
        { actor, customer, conversation: turn.conversation },
        input,
      );
      if (relayed !== null) return { replies: relayed, outcome: 'ok' };
    }
    if (quiet) return { replies: [], outcome: 'ok' };
    const extra: Reply[] =
      input.attachmentCount > 0
        ? [textReply('I can’t read attachments, and they are not passed on to the experts.')]
        : [];
    const command = parseCommand(input.text);
    if (command.name === 'unknown')
      return { replies: [...extra, textReply(command.hint)], outcome: 'bad_input' };
    const definition = commandNamed(command.name);
    if (definition === undefined) throw new BotError('bad_input', `no route for command ${command.name}`);
    if (!permits(actor, definition.requires))
      return { replies: [...extra, refusal(ctx, definition.requires)], outcome: 'refused' };
    // The registry is keyed by command name, so the definition's handler accepts exactly this command.
    return { replies: [...extra, ...(await definition.handle(ctx, command))], outcome: 'ok' };
  }

  return {
    async handleTurn(turn) {
      const started = performance.now();
      let outcome: TurnOutcome = 'error';
      try {
        const result = await run(turn);
        outcome = result.outcome;
        return confine(turn, result.replies);
      } catch (error) {
        if (error instanceof BotError && error.code === 'bad_input') {
          outcome = 'bad_input';
          return confine(turn, [notice('Cannot do that', error.message, 'warning')]);
        }
        deps.logger.error(
          {
            err: error,
            platform: turn.principal.platform,
            deliveryId: turn.deliveryId,
            kind: turn.input.kind,
          },
          'turn failed',
        );
        return confine(turn, [
          notice(
            'Something went wrong',
            'Something went wrong on our side and nothing was changed. Please try again in a minute.',
            'error',
          ),
        ]);
      } finally {
        deps.observer?.turnFinished(turn.input.kind, outcome, (performance.now() - started) / 1000);
      }
    },
  };
}
