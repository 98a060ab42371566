import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { SLACK_LIMITS } from './block-kit.js';

// How a card action survives the round trip through Slack: the verb rides in the action_id, the data in the
// button value, and inputs in input blocks whose block_id names the card input. Slack sends all three back
// (signed), so nothing needs to be remembered between rendering a card and the click on it.

const PREFIX = 'dxb:';
/** Action ids of card buttons: `dxb:x:<n>:<verb>` (Execute/Submit), `dxb:u:<n>` (OpenUrl), `dxb:s:<n>` (ShowCard). */
export const EXECUTE_ID = /^dxb:x:\d+:/;
/** A ShowCard button: its card travels (compressed) in the value and opens as a modal. */
export const SHOW_CARD_ID = /^dxb:s:\d+$/;
/** A link button: Slack opens the URL itself and still sends a click, which is acknowledged and ignored. */
export const OPEN_URL_ID = /^dxb:u:\d+$/;
/** Every action id the renderer or the adapter creates starts with this. */
export const ANY_ACTION_ID = /^dxb:/;
/** The action_id of every input element (the block_id says which input it is). */
export const INPUT_ACTION_ID = 'dxb:in';

/** Slack's element kinds for a card input, as kept in the block id. */
export type InputKind = 't' | 'c' | 'm' | 'b' | 'd';

/** An Execute/Submit action as Slack carries it. */
export interface ExecuteEncoding {
  readonly actionId: string;
  readonly value: string;
}

/** Encodes an Execute/Submit action; null when the verb or data cannot fit Slack's limits. */
export function encodeExecute(seq: number, verb: string, data: unknown): ExecuteEncoding | null {
  const actionId = `${PREFIX}x:${seq}:${verb}`;
  const value = JSON.stringify(data ?? {});
  if (actionId.length > SLACK_LIMITS.id || value.length > SLACK_LIMITS.buttonValue) return null;
  return { actionId, value };
}

/** The verb and data of a clicked Execute button, or null for anything else or a malformed value. */
export function decodeExecute(
  actionId: string,
  value: string | undefined,
): { verb: string; data: Record<string, unknown> } | null {
  if (!EXECUTE_ID.test(actionId)) return null;
  const verb = actionId.replace(EXECUTE_ID, '');
  let data: unknown;
  try {
    data = JSON.parse(value ?? '{}');
  } catch {
    return null;
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return { verb, data: {} };
  return { verb, data: data as Record<string, unknown> };
}

/** Unique action ids for link and ShowCard buttons (Slack wants them unique within a message). */
export const openUrlId = (seq: number): string => `${PREFIX}u:${seq}`;
export const showCardId = (seq: number): string => `${PREFIX}s:${seq}`;

/** Packs a ShowCard's card into a button value; null when it does not fit (the card is then inlined). */
export function encodeShowCard(card: unknown): string | null {
  const packed = `z:${deflateRawSync(Buffer.from(JSON.stringify(card))).toString('base64url')}`;
  return packed.length <= SLACK_LIMITS.buttonValue ? packed : null;
}

/** Unpacks a ShowCard button value; null when it is not one of ours. */
export function decodeShowCard(value: string | undefined): unknown | null {
  if (value === undefined || !value.startsWith('z:')) return null;
  try {
    return JSON.parse(
      inflateRawSync(Buffer.from(value.slice(2), 'base64url'), { maxOutputLength: 1 << 20 }).toString(),
    );
  } catch {
    return null;
  }
}

/** The block_id of an input: which card input it is, its kind and (toggles) the value when unticked. */
export function encodeInputBlockId(nonce: string, id: string, kind: InputKind, off?: string): string | null {
  const blockId = `${PREFIX}i:${nonce}:${JSON.stringify(off === undefined ? [id, kind] : [id, kind, off])}`;
  return blockId.length <= SLACK_LIMITS.id ? blockId : null;
}

/** Reads back which card input a block is; null for blocks that are not card inputs. */
export function decodeInputBlockId(blockId: string): { id: string; kind: InputKind; off: string } | null {
  const m = /^dxb:i:[^:]*:(.*)$/s.exec(blockId);
  if (m?.[1] === undefined) return null;
  try {
    const parsed: unknown = JSON.parse(m[1]);
    if (!Array.isArray(parsed) || typeof parsed[0] !== 'string' || typeof parsed[1] !== 'string') return null;
    const kind = parsed[1];
    if (!['t', 'c', 'm', 'b', 'd'].includes(kind)) return null;
    return {
      id: parsed[0],
      kind: kind as InputKind,
      off: typeof parsed[2] === 'string' ? parsed[2] : 'false',
    };
  } catch {
    return null;
  }
}

/** One element's state as Slack reports it in `state.values` (messages) or `view.state.values` (modals). */
export interface ElementState {
  readonly type?: string;
  readonly value?: string | null;
  readonly selected_option?: { readonly value: string } | null;
  readonly selected_options?: readonly { readonly value: string }[] | null;
  readonly selected_date?: string | null;
}

/** Slack's `state.values`: block id → action id → element state. */
export type StateValues = Readonly<Record<string, Readonly<Record<string, ElementState>>>>;

function inputValue(kind: InputKind, off: string, state: ElementState): string {
  switch (kind) {
    case 't':
      return state.value ?? '';
    case 'c':
      return state.selected_option?.value ?? '';
    case 'm':
      return (state.selected_options ?? []).map((o) => o.value).join(',');
    case 'b':
      return state.selected_options?.[0]?.value ?? off;
    case 'd':
      return state.selected_date ?? '';
  }
}

/** Card input values by input id, as an Adaptive Card host would merge them into the action's data. */
export function gatherInputs(values: StateValues | undefined): Record<string, string> {
  const inputs: Record<string, string> = {};
  for (const [blockId, elements] of Object.entries(values ?? {})) {
    const input = decodeInputBlockId(blockId);
    const state = elements[INPUT_ACTION_ID] ?? Object.values(elements)[0];
    if (input === null || state === undefined) continue;
    inputs[input.id] = inputValue(input.kind, input.off, state);
  }
  return inputs;
}
