import type { Store } from '../../../bot/ports.js';
import type { ChannelShape, ShapeMemory } from './teams-audience.js';

// Teams channel shapes kept in the store beside the installations, so posts the bot makes on its own after a
// restart still know a standard channel from a shared one without reading the member list.

const isShape = (v: unknown): v is ChannelShape =>
  typeof v === 'object' &&
  v !== null &&
  typeof (v as ChannelShape).membershipType === 'string' &&
  typeof (v as ChannelShape).hostTenant === 'string';

/** The store-backed shape memory; an unreadable record counts as unknown (the members are asked). */
export function storedShapes(store: Store): ShapeMemory {
  return {
    async get(conversationKey) {
      const found = await store.getInstallation('teams-shape', conversationKey);
      return isShape(found) ? { membershipType: found.membershipType, hostTenant: found.hostTenant } : null;
    },
    put: (conversationKey, shape) =>
      store.saveInstallation('teams-shape', conversationKey, {
        membershipType: shape.membershipType,
        hostTenant: shape.hostTenant,
      }),
  };
}
