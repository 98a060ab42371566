// Preloaded (node --require) into the Microsoft 365 Agents Playground's process by `npm run playground`.
// The Playground listens on every interface and carries an Application Insights client; `--dt` turns its
// telemetry events off, and this makes the rest a guarantee rather than a hope:
//  - a server that names no host listens on 127.0.0.1 only (the Playground and its connector take
//    unsigned traffic: nothing off this machine may reach them);
//  - an outgoing connection to anything but loopback is refused before any DNS lookup, and named once on
//    stderr, so the Playground can talk to the bot on this machine and never to the internet.
'use strict';

const net = require('node:net');

const LOOPBACK_HOST = '127.0.0.1';

/** Literal loopback addresses and the name localhost (resolved by the hosts file, not DNS). */
function isLoopbackHost(host) {
  if (host === undefined || host === null || host === '' || host === 'localhost') return true;
  const h = String(host).replace(/^\[|\]$/g, '');
  if (net.isIPv4(h)) return h.startsWith('127.');
  if (h.startsWith('::ffff:') && net.isIPv4(h.slice(7))) return h.slice(7).startsWith('127.');
  return h === '::1' || /^(0{0,4}:){7}0{0,3}1$/.test(h);
}

const listen = net.Server.prototype.listen;
net.Server.prototype.listen = function loopbackListen(...args) {
  const first = args[0];
  if (typeof first === 'number' || (typeof first === 'string' && /^\d+$/.test(first))) {
    if (typeof args[1] !== 'string') args.splice(1, 0, LOOPBACK_HOST);
  } else if (first !== null && typeof first === 'object' && first.port !== undefined && !first.host) {
    args[0] = { ...first, host: LOOPBACK_HOST };
  } else if (args.length === 0 || typeof first === 'function') {
    args.unshift(0, LOOPBACK_HOST);
  }
  return listen.apply(this, args);
};

const reported = new Set();
const connect = net.Socket.prototype.connect;
net.Socket.prototype.connect = function loopbackConnect(...args) {
  const first = args[0];
  const options = Array.isArray(first) ? first[0] : first;
  let host;
  let path;
  if (options !== null && typeof options === 'object') {
    host = options.host;
    path = options.path;
  } else if (typeof options === 'number' || (typeof options === 'string' && /^\d+$/.test(options))) {
    host = typeof args[1] === 'string' ? args[1] : undefined;
  } else if (typeof options === 'string') {
    path = options;
  }
  // An IPC path only when truthy, as net itself decides (http passes path: null for TCP).
  if (!path && !isLoopbackHost(host)) {
    if (!reported.has(host)) {
      reported.add(host);
      process.stderr.write(
        `[loopback-only] refused a connection to ${host} (the Playground stays offline)\n`,
      );
    }
    const error = Object.assign(new Error(`connection to ${host} refused: loopback only`), {
      code: 'ECONNREFUSED',
    });
    process.nextTick(() => this.destroy(error));
    return this;
  }
  return connect.apply(this, args);
};
