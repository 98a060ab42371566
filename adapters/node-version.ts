// The oldest Node.js releases this bot runs on, per release line. The code calls process.loadEnvFile
// (20.12) and zlib.crc32 (20.15, 22.2); Slack Socket Mode's HTTP client (undici 7) needs 20.18.1, and
// the test runner (vite) needs 20.19 or 22.12. Node 21 lacks zlib.crc32 and is past its end of life.
// This module imports nothing, so the entry point can run it before loading code that would fail on
// an older release with a cryptic link error instead of this one line.

/** Minimum version per supported release line; the last line also admits every newer major. */
export const SUPPORTED_NODE: readonly string[] = ['20.19.0', '22.12.0'];

type Triple = readonly [number, number, number];

function parse(version: string): Triple | null {
  const match = /^v?(\d+)\.(\d+)\.(\d+)/.exec(version.trim());
  if (!match) return null;
  return [Number(match[1]), Number(match[2]), Number(match[3])];
}

function atLeast(a: Triple, b: Triple): boolean {
  for (let i = 0; i < 3; i += 1) {
    if ((a[i] ?? 0) !== (b[i] ?? 0)) return (a[i] ?? 0) > (b[i] ?? 0);
  }
  return true;
}

/** The range as package.json's `engines.node` states it: "^20.19.0 || >=22.12.0". */
export function supportedRange(supported: readonly string[] = SUPPORTED_NODE): string {
  return supported.map((v, i) => (i === supported.length - 1 ? `>=${v}` : `^${v}`)).join(' || ');
}

/** Whether `version` (e.g. process.versions.node) is on a supported line at or above its minimum. */
export function isSupportedNode(version: string, supported: readonly string[] = SUPPORTED_NODE): boolean {
  const have = parse(version);
  if (!have) return false;
  return supported.some((minimum, i) => {
    const min = parse(minimum);
    if (!min) throw new Error(`not a version: ${minimum}`);
    const newerMajor = i === supported.length - 1 && have[0] > min[0];
    return newerMajor || (have[0] === min[0] && atLeast(have, min));
  });
}

/** The one line printed when the running Node.js is too old, or null when it is fine. */
export function nodeVersionProblem(
  version: string,
  supported: readonly string[] = SUPPORTED_NODE,
): string | null {
  if (isSupportedNode(version, supported)) return null;
  return `Cannot start: defender-experts-bot needs Node.js ${supportedRange(supported)}, but this is Node.js ${version}. Install a supported release (https://nodejs.org/) and try again.`;
}

/** Prints the problem on stderr and exits 1 when the running Node.js is not supported. */
export function exitIfUnsupportedNode(
  version: string = process.versions.node,
  supported: readonly string[] = SUPPORTED_NODE,
): void {
  const problem = nodeVersionProblem(version, supported);
  if (problem === null) return;
  process.stderr.write(`${problem}\n`);
  process.exit(1);
}
