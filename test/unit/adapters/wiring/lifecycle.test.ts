import { describe, expect, it } from 'vitest';
import { createLifecycle, type Service } from '../../../../adapters/wiring/lifecycle.js';

// The composition root's order of starting and stopping: reverse on stop, partial stop on a failed start.

const quiet = { debug() {}, info() {}, warn() {}, error() {} };

function recorder(log: string[], name: string, fail?: 'start' | 'stop'): Service {
  return {
    name,
    start: async () => {
      if (fail === 'start') throw new Error(`${name} failed`);
      log.push(`start ${name}`);
    },
    stop: async () => {
      log.push(`stop ${name}`);
      if (fail === 'stop') throw new Error(`${name} failed`);
    },
  };
}

describe('lifecycle', () => {
  it('starts in order and stops in reverse, once', async () => {
    const log: string[] = [];
    const life = createLifecycle(quiet);
    for (const n of ['store', 'worker', 'http']) life.add(recorder(log, n));
    await life.startAll();
    await Promise.all([life.stopAll(), life.stopAll()]);
    expect(log).toEqual([
      'start store',
      'start worker',
      'start http',
      'stop http',
      'stop worker',
      'stop store',
    ]);
  });

  it('stops what had started when a start fails, and rethrows', async () => {
    const log: string[] = [];
    const life = createLifecycle(quiet);
    life.add(recorder(log, 'store'));
    life.add(recorder(log, 'platforms', 'start'));
    life.add(recorder(log, 'never'));
    await expect(life.startAll()).rejects.toThrow('platforms failed');
    expect(log).toEqual(['start store', 'stop store']);
  });

  it('keeps stopping the others when one stop fails, and reports it', async () => {
    const log: string[] = [];
    const errors: string[] = [];
    const life = createLifecycle({ ...quiet, error: (o: object) => errors.push(JSON.stringify(o)) });
    life.add(recorder(log, 'store'));
    life.add(recorder(log, 'worker', 'stop'));
    await life.startAll();
    await life.stopAll();
    expect(log).toEqual(['start store', 'start worker', 'stop worker', 'stop store']);
    expect(errors.join()).toContain('worker');
  });

  it('stops an adopted resource last, even when a later start fails', async () => {
    const log: string[] = [];
    const life = createLifecycle(quiet);
    life.adopt({ name: 'store', stop: () => void log.push('stop store') });
    life.add(recorder(log, 'http'));
    life.add(recorder(log, 'sync', 'start'));
    await expect(life.startAll()).rejects.toThrow('sync failed');
    expect(log).toEqual(['start http', 'stop http', 'stop store']);
  });

  it('refuses a service added while stopping', async () => {
    const life = createLifecycle(quiet);
    await life.startAll();
    void life.stopAll();
    expect(() => life.add({ name: 'late' })).toThrow(/stopping/);
  });
});
