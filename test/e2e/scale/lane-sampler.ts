import type pg from 'pg';

// For the chaos test: samples outbox lane ownership through a run, each sample one SQL
// snapshot. A row leased by a trusted instance (not killed, not paused) must be in a lane that instance
// owns, so one channel's rows never go out from two instances at once.

export interface LaneReport {
  samples: number;
  /** Leased rows of trusted instances seen over all samples. */
  leased: number;
  /** "binding leased by X, lane of Y" for every violation seen. */
  readonly foreign: string[];
  /** Every instance seen owning a lane. */
  readonly owners: Set<string>;
}

/** Samples every 100 ms until stop(); `trusted` names the instances whose leases are checked right now. */
export function startLaneSampler(
  db: pg.Client,
  trusted: () => readonly string[],
): { stop(): Promise<LaneReport> } {
  const report: LaneReport = { samples: 0, leased: 0, foreign: [], owners: new Set() };
  let running = true;
  const loop = (async () => {
    while (running) {
      const r = await db.query<{ binding_id: string; lease_owner: string; lane_owner: string | null }>(
        `SELECT o.binding_id, o.lease_owner, l.owner AS lane_owner FROM outbox o
           LEFT JOIN outbox_lanes l ON l.binding_id = o.binding_id
          WHERE o.state = 'pending' AND o.lease_owner = ANY($1::text[]) AND o.lease_until > $2`,
        [trusted(), Date.now()],
      );
      const owners = await db.query<{ owner: string }>('SELECT DISTINCT owner FROM outbox_lanes');
      for (const o of owners.rows) report.owners.add(o.owner);
      report.samples += 1;
      for (const row of r.rows) {
        report.leased += 1;
        if (row.lane_owner !== row.lease_owner)
          report.foreign.push(`${row.binding_id} leased by ${row.lease_owner}, lane of ${row.lane_owner}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      return report;
    },
  };
}
