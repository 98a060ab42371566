import type { Role } from '../domain/actor.js';
import { COMMAND_PERMISSIONS, type Grantee, type Permission, VERB_PERMISSIONS } from './permissions.js';

// The role × verb table as Markdown, drawn from the permission table itself so the security docs cannot
// drift from what the router enforces (a test compares docs/security.md with this output).

const COLUMNS: readonly Role[] = ['analyst', 'responder', 'admin', 'expert', 'sdm'];

const cell = (p: Permission, role: Role): string =>
  p.who.includes('member') || p.who.includes(role as Grantee) ? 'yes' : '—';

const row = (name: string, kind: string, p: Permission): string =>
  `| \`${name}\` | ${kind} | ${COLUMNS.map((r) => cell(p, r)).join(' | ')} | ${p.scope} |`;

/** The Markdown table: one row per command, then one per card verb. */
export function permissionsTableMarkdown(): string {
  const head = [
    `| Name | Kind | ${COLUMNS.join(' | ')} | Then limited to |`,
    `| --- | --- | ${COLUMNS.map(() => '---').join(' | ')} | --- |`,
  ];
  const commands = Object.entries(COMMAND_PERMISSIONS).map(([n, p]) => row(n, 'command', p));
  const verbs = Object.entries(VERB_PERMISSIONS).map(([v, p]) => row(v, 'card verb', p));
  return [...head, ...commands, ...verbs].join('\n');
}
