import { expect, it } from 'vitest';
import { allCards } from './fixtures.js';

// The JSON of representative cards, from a fixed clock: a template or builder change shows up as a
// reviewable diff.

const REPRESENTATIVE = [
  'list/first-of-many',
  'list/empty-awaiting',
  'list/middle',
  'detail/awaiting',
  'detail/unknownEnums',
  'detail/hostile',
  'summary/some',
  'summary/none',
  'help/analyst',
  'notice/error',
  'unlinked/slack',
  'welcome/analyst',
  'alert/awaiting',
  'alert/hostile',
  'question/request-answered',
  'question/queue-claimed',
  'question/form-incident',
  'question/list-queue',
  'relay/edited-with-note',
  'response/detail-responder',
  'response/confirm-run-destructive',
  'response/skip-form',
  'preview/awaiting',
  'preview/neutral',
  'search/found',
];

const cards = new Map(allCards());

it.each(REPRESENTATIVE)('%s', (name) => {
  const message = cards.get(name);
  expect(message).toBeDefined();
  expect(message).toMatchSnapshot();
});
