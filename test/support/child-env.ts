// What every child process of a test inherits from the test itself. A child gets a minimal environment
// (so nothing from the developer's shell leaks into what is under test), but it must share the test's
// clock: under CI's shifted-clock run libfaketime is loaded through LD_PRELOAD and configured by FAKETIME*,
// and a child without them would sign, stamp and expire on another clock than the test checks against.

const CLOCK_VARS = /^(LD_PRELOAD|FAKETIME.*|DONT_FAKE_MONOTONIC|NO_FAKE_STAT)$/;

/** PATH, HOME and the clock settings of this process, for a child's `env`. */
export function childBaseEnv(): Record<string, string> {
  const env: Record<string, string> = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/root' };
  for (const [name, value] of Object.entries(process.env)) {
    if (CLOCK_VARS.test(name) && value !== undefined) env[name] = value;
  }
  return env;
}

/**
 * This process's environment without the shifted clock, for Chromium: the browser only renders what the
 * bot serves, and libfaketime inside it (a shifted wall clock against its real monotonic clock) stalls
 * its timers. What the browser shows still comes from the bot, on the test's clock.
 */
export function browserEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (value !== undefined && !CLOCK_VARS.test(name)) env[name] = value;
  }
  return env;
}
