import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Reply } from '../../../bot/ports.js';
import { createTestSchema, type TestSchema } from '../../support/pg-schema.js';
import { type SpawnedBot, spawnBot } from '../../support/spawn-bot.js';

// Stateless, inbound side: two real processes on one PostgreSQL schema behind an imaginary load balancer.
// A turn gives the same answer on either (all state is in the store), and a delivery retried on the other
// instance is recognised as a repeat (the idempotency claim is shared), so it is answered once.

describe('inbound turns on several instances', () => {
  let schema: TestSchema | undefined;
  const dir = mkdtempSync(join(tmpdir(), 'dxb-stateless-'));
  const bots: SpawnedBot[] = [];

  afterAll(async () => {
    for (const bot of bots) {
      if (bot.child.exitCode === null) {
        bot.child.kill('SIGKILL');
        await bot.exited;
      }
    }
    await schema?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  const say = async (url: string, text: string, deliveryId = randomUUID()): Promise<readonly Reply[]> => {
    const res = await fetch(`${url}/console/api/turn`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ personaId: 'contoso-analyst', deliveryId, text }),
    });
    expect(res.status).toBe(200);
    return ((await res.json()) as { replies: Reply[] }).replies;
  };

  it('answers alike on either instance and de-duplicates a delivery across them', async () => {
    schema = await createTestSchema('stateless');
    const env = (name: string): Record<string, string> => ({
      DATABASE_URL: schema?.databaseUrl ?? '',
      INSTANCE_ID: name,
      DATA_DIR: join(dir, name),
      SIMULATION_STEP_SECONDS: '0',
      DEV_CONSOLE: 'on',
      LOG_LEVEL: 'warn',
    });
    bots.push(spawnBot(env('one')), spawnBot(env('two')));
    const [a, b] = await Promise.all(bots.map((bot) => bot.ready));
    if (a === undefined || b === undefined) throw new Error('bots not up');
    for (const url of [a, b]) {
      const ready = await fetch(`${url}/readyz`);
      expect(await ready.json()).toMatchObject({ store: 'ok' });
    }
    const listA = (await say(a, 'incidents')).map((r) => r.text);
    const listB = (await say(b, 'incidents')).map((r) => r.text);
    expect(listA.join('\n')).toMatch(/Open incidents — [1-9]\d* incidents/);
    expect(listB).toEqual(listA);

    const deliveryId = randomUUID();
    const first = await say(a, 'help', deliveryId);
    expect(first.length).toBeGreaterThan(0);
    expect(await say(b, 'help', deliveryId)).toEqual([]); // a platform retry that reached the other instance

    for (const bot of bots) bot.child.kill('SIGTERM');
    for (const bot of bots) expect((await bot.exited).code, bot.output().slice(-2000)).toBe(0);
  }, 90_000);
});
