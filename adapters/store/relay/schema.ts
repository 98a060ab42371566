import type { FeatureSchema } from '../migrator.js';
import { RELAY_TABLES } from './tables.js';

// The relay's tables (declared in tables.ts). The step names are those of the builds that still counted
// steps, recorded on every database so those builds open it. APPEND named steps that move data.

export const RELAY_SCHEMA: FeatureSchema = {
  feature: 'relay',
  tables: RELAY_TABLES,
  legacy: { sqlite: 4, postgres: 4 },
  migrations: [
    { name: '0001-pairs-queue-copies' },
    { name: '0002-pair-title-and-held' },
    { name: '0003-read-marks' },
    { name: '0004-copies-by-copy-id' },
    { name: '0005-real-types-and-lessee' },
  ],
};
