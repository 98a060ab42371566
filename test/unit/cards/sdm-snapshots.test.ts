import { expect, it } from 'vitest';
import { NOW } from './fixtures.js';
import { sdmCards } from './sdm-fixtures.js';

// The JSON of the SDM feature's representative cards from a fixed clock (own snapshot file, so these
// reviews do not mix with the other features' snapshots).

const REPRESENTATIVE = [
  'report/month-sdm',
  'report/empty-no-links',
  'checkin/second',
  'checkin/item',
  'sdm/card',
  'sdm/form-escalation',
];
const cards = new Map(sdmCards('Hostile <b>text</b> [x](https://evil.example)', NOW));

it.each(REPRESENTATIVE)('%s', (name) => {
  const message = cards.get(name);
  expect(message).toBeDefined();
  expect(message).toMatchSnapshot();
});
