import type Database from 'better-sqlite3';

// The step type of the old module runner (module-migrations.ts), kept only for the feature stores not yet on
// adapters/store; the core's steps and the ported features' are in adapters/store (one migrator for all).

export interface Migration {
  /** 1, 2, 3… in order; becomes the module's version once applied. */
  readonly version: number;
  readonly description: string;
  /** SQL run with exec(), or a function for steps that must transform data row by row. */
  readonly up: string | ((db: Database.Database) => void);
}

/** Catches a mis-numbered append at start-up rather than after half a migration. */
export function assertMigrationsOrdered(migrations: readonly Migration[]): void {
  migrations.forEach((m, i) => {
    if (m.version !== i + 1) {
      throw new Error(`migration #${i + 1} is numbered ${m.version}: versions must be 1, 2, 3… in order`);
    }
  });
}
