import type { Selectable } from 'kysely';
import type { ChannelBinding, ConversationRef } from '../../../bot/domain/conversation.js';
import type { StoreDb } from '../database.js';
import { isConstraintError } from '../errors.js';
import type { CoreTables } from './core-schema.js';

// Channel bindings, keyed by (customer, conversation id); the conversation reference and the event list are
// JSON because the core treats them as opaque values.

type Row = Selectable<CoreTables['bindings']>;

export function bindings(db: StoreDb<CoreTables>) {
  const { kysely, dialect } = db;
  const fromRow = (row: Row): ChannelBinding => ({
    id: row.id,
    customerId: row.customer_id,
    conversation: dialect.readJson<ConversationRef>(row.conversation),
    events: dialect.readJson<string[]>(row.events),
    onCall: row.on_call,
    createdBy: row.created_by,
    createdAt: dialect.readTimestamp(row.created_at),
    paused: dialect.readBool(row.paused),
  });
  return {
    saveBinding: (binding: ChannelBinding): Promise<void> =>
      db.run(async () => {
        const row = {
          customer_id: binding.customerId,
          conversation_id: binding.conversation.id,
          id: binding.id,
          conversation: dialect.json(binding.conversation),
          events: dialect.json(binding.events),
          on_call: binding.onCall,
          created_by: binding.createdBy,
          created_at: dialect.timestamp(binding.createdAt),
          paused: dialect.bool(binding.paused),
        };
        const { customer_id: _c, conversation_id: _k, ...rest } = row;
        const upsert = () =>
          kysely
            .insertInto('bindings')
            .values(row)
            .onConflict((oc) => oc.columns(['customer_id', 'conversation_id']).doUpdateSet(rest))
            .execute();
        // Two instances saving the same binding at once (the console's demo bindings at start-up): the
        // upsert's arbiter is (customer, conversation), so the loser trips the binding id's own unique index
        // instead. Once the winner has committed, the same upsert becomes an update.
        await upsert().catch(async (error: unknown) => {
          if (!isConstraintError(error)) throw error;
          await upsert();
        });
      }),
    deleteBinding: (customerId: string, conversationId: string): Promise<boolean> =>
      db.run(async () => {
        const r = await kysely
          .deleteFrom('bindings')
          .where('customer_id', '=', customerId)
          .where('conversation_id', '=', conversationId)
          .executeTakeFirst();
        return r.numDeletedRows > 0n;
      }),
    listBindings: (customerId: string): Promise<readonly ChannelBinding[]> =>
      db.run(async () => {
        const rows = await kysely
          .selectFrom('bindings')
          .selectAll()
          .where('customer_id', '=', customerId)
          .orderBy('created_at')
          .orderBy('conversation_id')
          .execute();
        return rows.map(fromRow);
      }),
    getBinding: (bindingId: string): Promise<ChannelBinding | null> =>
      db.run(async () => {
        const row = await kysely
          .selectFrom('bindings')
          .selectAll()
          .where('id', '=', bindingId)
          .executeTakeFirst();
        return row === undefined ? null : fromRow(row);
      }),
    setBindingPaused: (bindingId: string, paused: boolean): Promise<boolean> =>
      db.run(async () => {
        const r = await kysely
          .updateTable('bindings')
          .set({ paused: dialect.bool(paused) })
          .where('id', '=', bindingId)
          .executeTakeFirst();
        return r.numUpdatedRows > 0n;
      }),
  };
}
