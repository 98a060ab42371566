import { z } from 'zod/v4';
import { VERBS } from '../../../cards/verbs.js';
import { messagesScope } from '../../authz/grants.js';
import { markMessagesRead, showMessages } from '../../flows/messages.js';
import { MESSAGE_FILTERS } from '../../messages/history.js';
import { defineAction } from '../define.js';

// The messages view's filters and "Mark all read".

const filter = z.object({ filter: z.enum(MESSAGE_FILTERS) });

export const messagesShow = defineAction({
  verb: VERBS.messagesShow,
  schema: filter,
  requires: messagesScope,
  handle: (ctx, d) => showMessages(ctx, d.filter, 'replace'),
});

export const messagesRead = defineAction({
  verb: VERBS.messagesRead,
  schema: filter,
  requires: messagesScope,
  handle: (ctx, d) => markMessagesRead(ctx, d.filter),
});
