import type { z } from 'zod/v4';
import type { Permission } from '../authz/grants.js';
import type { FlowContext } from '../flows/context.js';
import type { Reply } from '../ports.js';

// A card button or form declared once: its verb, the schema its data must pass (any client can send
// anything), who may use it and its handler. The registry (registry.ts) lists the definitions; the router,
// the permission table and the data types cards build their buttons with are read from it.

export interface ActionDefinition<V extends string, S extends z.ZodType> {
  /** What the card's Action.Execute carries (`verb`, or Slack's button value). */
  readonly verb: V;
  /**
   * The data, with the form's input values merged in by the host. Keys the schema does not name are dropped;
   * anything malformed refuses the click before a handler runs.
   */
  readonly schema: S;
  /** Who may use it; the flow then narrows by data, never widens. */
  readonly requires: Permission;
  // A method, so definitions of different verbs share one list (the router picks by verb).
  handle(ctx: FlowContext, data: z.output<S>): Promise<readonly Reply[]>;
}

/** Declares one card action (the identity function, for the types). */
export const defineAction = <V extends string, S extends z.ZodType>(
  definition: ActionDefinition<V, S>,
): ActionDefinition<V, S> => definition;
