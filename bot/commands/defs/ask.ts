import { customers } from '../../authz/grants.js';
import { askExperts } from '../../flows/ask-experts.js';
import { customerCtx } from '../../flows/context.js';
import { defineCommand } from '../define.js';

// `ask <question>` and `ask incident <id> <question>`: a question for Defender Experts.

export type AskCommand = { readonly name: 'ask'; readonly incidentId: string | null; readonly text: string };

export const ask = defineCommand<AskCommand>({
  name: 'ask',
  parse: ({ rest }) => {
    const question = rest.replace(/^(?:the\s+)?(?:defender\s+)?experts?\b\s*[:,-]?\s*/i, '');
    const withIncident = /^incident\s+#?([A-Za-z0-9][A-Za-z0-9-]{0,63})(?:\s+([\s\S]+))?$/i.exec(question);
    if (withIncident) {
      const [, id = '', text = ''] = withIncident;
      return text.trim() === ''
        ? { name: 'unknown', hint: 'Try: ask incident <id> <your question>' }
        : { name: 'ask', incidentId: id, text: text.trim() };
    }
    return question === ''
      ? { name: 'unknown', hint: 'Try: ask <your question for Defender Experts>' }
      : { name: 'ask', incidentId: null, text: question };
  },
  phrasings: {
    loose: [
      {
        rank: 30,
        // Matched on the text as typed: the question keeps its case and line breaks.
        match: ({ raw }) => {
          const m = /^(?:please\s+)?ask\s+(?:the\s+)?(?:defender\s+)?experts?\s*(?:[:,-]\s*)?(.+)$/.exec(
            raw.trim(),
          );
          return m?.[1] ? { name: 'ask', incidentId: null, text: m[1].trim() } : null;
        },
      },
    ],
  },
  usage: 'ask <question> · ask incident <id> <question>',
  description: 'Ask Defender Experts a question (answers come back in the thread)',
  requires: customers(),
  handle: (ctx, c) =>
    askExperts(customerCtx(ctx), {
      topic: c.incidentId === null ? 'other' : 'alertOrIncident',
      text: c.text,
      context: null,
      incidentId: c.incidentId,
    }),
});
