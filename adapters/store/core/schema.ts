import type { FeatureSchema } from '../migrator.js';
import { CORE_TABLES, POSTGRES_TABLES } from '../tables.js';

// The core tables (declared in ../tables.ts). The step names are those of the builds that still counted
// steps; they are recorded on every database so those builds open it. APPEND named steps that move data.

export const CORE_SCHEMA: FeatureSchema = {
  feature: 'core',
  tables: { ...CORE_TABLES, ...POSTGRES_TABLES },
  legacy: { sqlite: 3, postgres: 3 },
  migrations: [
    { name: '0001-incidents-cursors-bindings-claims' },
    { name: '0002-outbox-posts-installations' },
    { name: '0003-legacy-bookkeeping' },
    { name: '0004-real-types-and-owned-leases' },
  ],
};
