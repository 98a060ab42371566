import { type Mrkdwn, mrkdwn, SLACK_LIMITS, type SlackBlock } from './block-kit.js';
import { escapeMrkdwn, splitMrkdwn } from './mrkdwn.js';

// Shared state and helpers of one card rendering: the unit of layout (one block that may or may not move to
// a continuation page), the running action counter, and small guards over the untyped card JSON.

/** Where a rendering goes: a message (50 blocks, continues in a thread), a modal or the Home tab (100). */
export type Surface = 'message' | 'modal' | 'home';

/**
 * One block in document order. `pinned` blocks (inputs, and the buttons that submit them, and the card's
 * own actions) always stay in the first message, because Slack only sends the state of the message clicked.
 */
export interface Unit {
  readonly block: SlackBlock;
  readonly pinned: boolean;
}

/** State of one rendering, threaded through the element renderers. */
export interface RenderContext {
  readonly surface: Surface;
  /** Makes input block ids unique per rendering (Slack keeps input state per block id). */
  readonly nonce: string;
  /** True when the card has inputs: then every action is pinned beside them. */
  readonly form: boolean;
  /** Counter for unique action ids within one rendering. */
  seq: number;
}

/** The next action number of this rendering (action ids must be unique within a message). */
export function nextSeq(ctx: RenderContext): number {
  ctx.seq += 1;
  return ctx.seq;
}

/** Untyped card JSON, read through the guards below (cards come from templates, but render defensively). */
export type Json = Readonly<Record<string, unknown>>;

export const isRecord = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
export const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);
export const list = (v: unknown): readonly unknown[] => (Array.isArray(v) ? v : []);

/** Section blocks for mrkdwn text of any length (split at Slack's 3,000-character section limit). */
export function sectionUnits(text: string, pinned = false): Unit[] {
  if (text.trim() === '') return [];
  return splitMrkdwn(text, SLACK_LIMITS.sectionText).map((piece) => ({
    block: { type: 'section', text: mrkdwn(piece) },
    pinned,
  }));
}

/** Small print (subtle text, notes) as context blocks. */
export function contextUnits(text: string, pinned = false): Unit[] {
  if (text.trim() === '') return [];
  return splitMrkdwn(text, SLACK_LIMITS.sectionText).map((piece) => ({
    block: { type: 'context', elements: [mrkdwn(piece)] },
    pinned,
  }));
}

/** A visible note where something could not be shown in Slack (never a silent drop); `text` is plain. */
export const noteUnits = (text: string, pinned = false): Unit[] =>
  contextUnits(`_${escapeMrkdwn(text)}_`, pinned);

/** Section blocks with fields, at most 10 per block and about 3,000 characters per block. */
export function fieldUnits(fields: readonly Mrkdwn[]): Unit[] {
  const units: Unit[] = [];
  let batch: Mrkdwn[] = [];
  let chars = 0;
  const flush = (): void => {
    if (batch.length > 0) units.push({ block: { type: 'section', fields: batch }, pinned: false });
    batch = [];
    chars = 0;
  };
  for (const field of fields) {
    if (field.text.length > SLACK_LIMITS.fieldText) {
      flush();
      units.push(...sectionUnits(field.text));
      continue;
    }
    if (batch.length >= SLACK_LIMITS.sectionFields || chars + field.text.length > SLACK_LIMITS.sectionText)
      flush();
    batch.push(field);
    chars += field.text.length;
  }
  flush();
  return units;
}
