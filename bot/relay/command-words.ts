// In a chat without threads the bot is both the command line and the line to the experts or the SDM. A
// message whose first word is a command word (or a one-letter slip of a long one) is a command, never relayed.
// The words are the command registry's (bot/commands/registry.ts).

import { commandWords } from '../commands/registry.js';

export { commandWords };

/** Words this long or longer count as a typo of a command word at one edit (a swap counts as one). */
const TYPO_MIN_LENGTH = 5;

/** Optimal string alignment distance, capped: only "0, 1 or more" matters here. */
function distanceAtMostOne(a: string, b: string): boolean {
  if (Math.abs(a.length - b.length) > 1) return false;
  const prev2: number[] = [];
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i += 1) {
    const cur = [i];
    for (let j = 1; j <= b.length; j += 1) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min((prev[j] ?? 0) + 1, (cur[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        d = Math.min(d, (prev2[j - 2] ?? 0) + 1);
      cur.push(d);
    }
    prev2.splice(0, prev2.length, ...prev);
    prev = cur;
  }
  return (prev[b.length] ?? 2) <= 1;
}

/**
 * The command word a message starts with: `exact` when it is one, `typo` with the word it is closest to when
 * it is one slip away from a long command word ("incidnets"), or null for prose.
 */
export function commandWordOf(text: string): { readonly word: string; readonly exact: boolean } | null {
  const first = (
    text
      .trim()
      .replace(/^\/experts\s*/i, '')
      .split(/\s+/)[0] ?? ''
  ).toLowerCase();
  if (first === '') return null;
  if (commandWords().includes(first)) return { word: first, exact: true };
  const bare = first.replace(/[?!.,:;]+$/, '');
  if (commandWords().includes(bare)) return { word: bare, exact: true };
  if (bare.length < TYPO_MIN_LENGTH) return null;
  // "checking" and "reports" are words of their own, not slips of "checkin" and "report".
  const near = commandWords().find(
    (w) => w.length >= TYPO_MIN_LENGTH && !bare.startsWith(w) && distanceAtMostOne(bare, w),
  );
  return near === undefined ? null : { word: near, exact: false };
}
