import type { Customer } from '../domain/customer.js';
import type { FlowContext } from '../flows/context.js';
import { isSdmOf } from './deps.js';

// Who may see and change a customer's checklist: that customer's own people and their SDM. Anyone else is
// answered as if the checklist did not exist (another customer's id answers like an unknown one).

/** The customer whose checklist `customerId` names, when the caller may use it; otherwise null. */
export function checklistCustomer(ctx: FlowContext, customerId: string): Customer | null {
  if (ctx.customer !== null) return ctx.customer.id === customerId ? ctx.customer : null;
  const customer = ctx.directory.customers.find((c) => c.id === customerId);
  return customer !== undefined && isSdmOf(ctx.actor, customer) ? customer : null;
}
