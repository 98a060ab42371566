import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// The preload `npm run playground` gives the Agents Playground's process: servers that name no host listen
// on 127.0.0.1, and connections to anything but loopback are refused before any lookup. Checked in a real
// Node process with the preload, as the launcher runs it.

const preload = fileURLToPath(new URL('../../../../adapters/playground/loopback-only.cjs', import.meta.url));

const run = (script: string) =>
  spawnSync(process.execPath, ['--require', preload, '-e', script], { encoding: 'utf8', timeout: 20_000 });

describe('loopback-only preload', () => {
  it('binds a server that names no host (as the Playground does) to 127.0.0.1', () => {
    const out = run(`
      const net = require('node:net');
      const a = net.createServer(); const b = require('node:http').createServer();
      a.listen(0, () => b.listen({ port: 0 }, () => {
        console.log(JSON.stringify([a.address().address, b.address().address]));
        a.close(); b.close();
      }));`);
    expect(out.status, out.stderr).toBe(0);
    expect(JSON.parse(out.stdout)).toEqual(['127.0.0.1', '127.0.0.1']);
  });

  it('refuses connections off this machine (by name or address) and allows loopback', () => {
    const out = run(`
      const net = require('node:net');
      const https = require('node:https');
      const results = {};
      const server = net.createServer((s) => s.end()).listen(0, '127.0.0.1', () => {
        const port = server.address().port;
        const local = net.connect(port, 'localhost');
        local.on('connect', () => { results.local = 'connected'; local.destroy(); next(); });
        local.on('error', (e) => { results.local = e.code; next(); });
      });
      let pending = 3;
      function next() { if (--pending === 0) { server.close(); console.log(JSON.stringify(results)); } }
      net.connect(443, '192.0.2.80').on('error', (e) => { results.address = e.code; next(); });
      https.get('https://dc.services.visualstudio.com/v2/track').on('error', (e) => { results.name = e.code; next(); });`);
    expect(out.status, out.stderr).toBe(0);
    expect(JSON.parse(out.stdout)).toEqual({
      local: 'connected',
      address: 'ECONNREFUSED',
      name: 'ECONNREFUSED',
    });
    expect(out.stderr).toContain('[loopback-only] refused a connection to 192.0.2.80');
    expect(out.stderr).toContain('[loopback-only] refused a connection to dc.services.visualstudio.com');
  });
});
