import { z } from 'zod/v4';
import { QUESTION_VERBS } from '../../../cards/question-verbs.js';
import { CUSTOMER } from '../../authz/grants.js';
import { relayReply as passOn } from '../../flows/relay-reply.js';
import { relayUndo as withdraw } from '../../flows/relay-undo.js';
import { defineAction } from '../define.js';

// "Send to …" and "Undo" on messages the relay holds or passed on, in chats without threads.

/** The pair chosen and the held message (its platform id) it is for. */
const heldMessage = z.object({
  pairId: z.string().regex(/^rp-[0-9a-f-]{36}$/),
  sourceId: z.string().regex(/^[!-~]{1,256}$/),
});

// Passing a held message on: the pair's own rule then admits its customer's people, its experts or its SDM.
export const relayReply = defineAction({
  verb: QUESTION_VERBS.relayReply,
  schema: heldMessage,
  requires: { who: [...CUSTOMER, 'expert', 'sdm'], scope: 'a side of a pair in this conversation' },
  handle: (ctx, d) => passOn(ctx, d),
});

// Withdrawing a message passed on: the flow admits only its sender, for a short while.
export const relayUndo = defineAction({
  verb: QUESTION_VERBS.relayUndo,
  schema: heldMessage,
  requires: { who: [...CUSTOMER, 'expert', 'sdm'], scope: 'a message they passed on, shortly after' },
  handle: (ctx, d) => withdraw(ctx, d),
});
