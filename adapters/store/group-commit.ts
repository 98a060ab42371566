// Group commit: calls made in the same turn of the event loop are written in one transaction, and each
// caller learns the outcome of its own item. If the shared transaction fails, items are retried one by one
// so a single bad item cannot fail the others.

export interface GroupCommit<T> {
  submit(item: T): Promise<void>;
}

/** `write` runs the whole batch in one transaction. */
export function createGroupCommit<T>(write: (batch: readonly T[]) => Promise<void> | void): GroupCommit<T> {
  let pending: Array<{ item: T; resolve: () => void; reject: (error: unknown) => void }> = [];
  const flush = async (): Promise<void> => {
    const batch = pending;
    pending = [];
    try {
      await write(batch.map((b) => b.item));
      for (const b of batch) b.resolve();
    } catch (error) {
      if (batch.length === 1) {
        batch[0]?.reject(error);
        return;
      }
      for (const b of batch) {
        try {
          await write([b.item]);
          b.resolve();
        } catch (own) {
          b.reject(own);
        }
      }
    }
  };
  return {
    submit(item) {
      return new Promise<void>((resolve, reject) => {
        pending.push({ item, resolve, reject });
        if (pending.length === 1) setImmediate(() => void flush());
      });
    },
  };
}
