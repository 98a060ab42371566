import type { Customer, ExpertsAccess } from '../../bot/domain/customer.js';

// A customer with no workspaces, SDM or people: what source and store tests need, in one place.

/** `name` defaults to "<id> Ltd". */
export const makeCustomer = (
  id: string,
  expertsAccess: ExpertsAccess = 'reader',
  name = `${id} Ltd`,
): Customer => ({
  id,
  name,
  entraTenantId: null,
  expertsAccess,
  teamsTenantId: null,
  slackTeamId: null,
  sdm: null,
  responders: [],
  admins: [],
});
