import { askersAndExperts } from '../../authz/grants.js';
import { listQuestions } from '../../flows/questions.js';
import { defineCommand } from '../define.js';

// `questions`: a customer's own requests to the experts; for experts, the queue.

export type QuestionsCommand = { readonly name: 'questions' };

export const questions = defineCommand<QuestionsCommand>({
  name: 'questions',
  parse: () => ({ name: 'questions' }),
  phrasings: {
    // "my questions", "show my open questions", "what are my questions"
    taught: [/^(?:show\s+|list\s+|what are\s+)?my\s+(?:open\s+)?questions$/],
    loose: [
      {
        rank: 50,
        match: ({ lower }) => (/\b(my|open) questions\b/.test(lower) ? { name: 'questions' } : null),
      },
    ],
  },
  usage: 'questions',
  description: 'Your questions to the experts and their state (experts: the queue)',
  helpFor: {
    customer: { usage: 'questions', description: 'Your questions to the experts and their state' },
    expert: { usage: 'questions', description: 'The experts’ question queue' },
    sdm: null,
  },
  requires: askersAndExperts,
  handle: (ctx) => listQuestions(ctx, 'new'),
});
