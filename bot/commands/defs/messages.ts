import { messagesScope } from '../../authz/grants.js';
import { showMessages } from '../../flows/messages.js';
import { defineCommand } from '../define.js';

// `messages [7d|30d|open]`: managed-response threads and Ask Defender Experts requests.

export type MessagesCommand = { readonly name: 'messages'; readonly filter: '7d' | '30d' | 'open' };

export const messages = defineCommand<MessagesCommand>({
  name: 'messages',
  parse: ({ args }) => {
    const filter = (args[0] ?? '30d').toLowerCase();
    return args.length <= 1 && (filter === '7d' || filter === '30d' || filter === 'open')
      ? { name: 'messages', filter }
      : { name: 'unknown', hint: 'Try: messages [7d|30d|open]' };
  },
  phrasings: {
    loose: [
      {
        rank: 60,
        // "show my messages", "conversation history", "open threads": the messages view.
        match: ({ lower }) => {
          const history =
            /^(?:show |list )?(?:me )?(?:my |our |the )?(?:(open) )?(?:messages|message history|conversation history|conversations|threads)(?: (?:from |in )?(?:the )?(?:last|past) (7|30) days)?$/.exec(
              lower,
            );
          if (history === null) return null;
          return {
            name: 'messages',
            filter: history[1] === 'open' ? 'open' : history[2] === '7' ? '7d' : '30d',
          };
        },
      },
    ],
  },
  usage: 'messages [7d|30d|open]',
  description: 'Managed-response threads and Ask Defender Experts requests, with CSV export',
  requires: messagesScope,
  handle: (ctx, c) => showMessages(ctx, c.filter, 'new'),
});
