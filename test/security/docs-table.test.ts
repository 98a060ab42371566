import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { permissionsTableMarkdown } from '../../bot/authz/permissions-table.js';
import { SECURITY_DOC, withTable } from '../../scripts/security-table.js';

// The security page's role × verb table is generated from the table the router enforces; when a verb or a
// role changes, this fails until `npm run docs:security` is run and the page committed.

it('docs/security.md shows exactly the permission table the router enforces', () => {
  const page = readFileSync(SECURITY_DOC, 'utf8');
  expect(page).toBe(withTable(page, permissionsTableMarkdown()));
  expect(page).toMatch(/\| `question\.claim` \| card verb \| — \| — \| — \| yes \| — \|/);
});
