// The keys of our PostgreSQL advisory locks: a namespace of ours ("DEEX", so they never collide with another
// application's) and a kind hashed with the schema, so instances sharing a schema contend and other schemas
// do not. The migration lock (store/postgres.ts, store/legacy.ts) uses the same namespace and 'migrate'.

/** First key of our advisory locks: "DEEX". */
export const LOCK_NAMESPACE = 0x44454558;
/** Second-key namespaces (hashed with the schema): migrations, per-customer saves, poller leadership. */
export const LOCK_KIND = { migrate: 'migrate', save: 'save', poller: 'poller' } as const;
