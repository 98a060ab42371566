// The Host values a listener on this machine answers to for local-only doors (the dev console, Playground
// mode). A page elsewhere that re-points its own DNS name at 127.0.0.1 (DNS rebinding) still sends its own
// name as Host, so checking Host against these names keeps such pages out.

const LOOPBACK_NAMES = ['127.0.0.1', 'localhost', '[::1]'] as const;

/** The Host values a loopback listener on `port` answers to (a browser leaves :80 out). */
export function loopbackHosts(port: number): ReadonlySet<string> {
  const hosts = new Set<string>(LOOPBACK_NAMES.map((n) => `${n}:${port}`));
  if (port === 80) for (const n of LOOPBACK_NAMES) hosts.add(n);
  return hosts;
}
