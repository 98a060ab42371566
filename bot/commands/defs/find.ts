import { customers } from '../../authz/grants.js';
import { customerCtx } from '../../flows/context.js';
import { findIncidents } from '../../flows/incident-find.js';
import { defineCommand } from '../define.js';

// `find <text>`: the caller's own incidents by id, title, user, device, IP address or file. Teams offers
// the same search in the compose box (a message extension), so it stays out of Teams' command menus.

export type FindCommand = { readonly name: 'find'; readonly text: string };

export const find = defineCommand<FindCommand>({
  name: 'find',
  parse: ({ rest }) =>
    rest === ''
      ? { name: 'unknown', hint: 'Try: find <text>, for example find LAPTOP-7 or find alice@contoso.com' }
      : { name: 'find', text: rest },
  usage: 'find <text>',
  description: 'Search your incidents by id, title, user, device, IP address or file',
  teams: [],
  requires: customers(),
  handle: (ctx, c) => findIncidents(customerCtx(ctx), c.text),
});
