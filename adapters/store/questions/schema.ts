import type { FeatureSchema } from '../migrator.js';
import { QUESTIONS_TABLES } from './tables.js';

// The questions table (declared in tables.ts). The step names are those of the builds that still counted
// steps, recorded on every database so those builds open it. APPEND named steps that move data.

export const QUESTIONS_SCHEMA: FeatureSchema = {
  feature: 'questions',
  tables: QUESTIONS_TABLES,
  legacy: { sqlite: 2, postgres: 2 },
  migrations: [{ name: '0001-questions' }, { name: '0002-resend-key' }, { name: '0003-real-types' }],
};
