import { decodeExecute, type StateValues } from '../../adapters/slack/render/action-codec.js';
import {
  type ButtonElement,
  blockChars,
  SLACK_LIMITS,
  type SlackBlock,
} from '../../adapters/slack/render/block-kit.js';

// Test helpers over rendered Block Kit: every Slack limit checked in one place (a list of violations, so a
// failure says what broke), the buttons of a message, and Slack's state for a rendered form.

/** A message: 50 blocks and about 13k characters; a modal or Home view: 100 blocks (and a 250 kB payload). */
export const MESSAGE = { blocks: 50, chars: 13_000 } as const;
export const VIEW = { blocks: 100, chars: 100_000 } as const;

/** Every limit a list of blocks breaks; empty when Slack would accept it. */
export function limitViolations(
  blocks: readonly SlackBlock[],
  maxBlocks: number,
  maxChars: number,
): string[] {
  const v: string[] = [];
  const L = SLACK_LIMITS;
  if (blocks.length === 0) v.push('no blocks');
  if (blocks.length > maxBlocks) v.push(`${blocks.length} blocks > ${maxBlocks}`);
  const chars = blocks.reduce((n, b) => n + blockChars(b), 0);
  if (chars > maxChars) v.push(`${chars} characters > ${maxChars}`);
  const text = (t: string, max: number, where: string) => {
    if (t.length > max) v.push(`${where}: ${t.length} > ${max}`);
    if (t.trim() === '') v.push(`${where}: empty text`);
  };
  const button = (b: ButtonElement, where: string) => {
    text(b.text.text, L.buttonText, `${where} button text`);
    if (b.action_id.length > L.id) v.push(`${where}: action_id too long`);
    if ((b.value ?? '').length > L.buttonValue) v.push(`${where}: value too long`);
    if (b.url !== undefined && (b.url.length > L.imageUrl || !b.url.startsWith('https://')))
      v.push(`${where}: bad url`);
    if (b.confirm) {
      text(b.confirm.title.text, L.confirmTitle, 'confirm title');
      text(b.confirm.text.text, L.confirmText, 'confirm text');
      text(b.confirm.confirm.text, L.confirmButton, 'confirm button');
    }
  };
  blocks.forEach((b, i) => {
    const at = `block ${i} (${b.type})`;
    switch (b.type) {
      case 'header':
        text(b.text.text, L.headerText, at);
        break;
      case 'section':
        if (b.text === undefined && (b.fields ?? []).length === 0) v.push(`${at}: neither text nor fields`);
        if (b.text) text(b.text.text, L.sectionText, at);
        if ((b.fields ?? []).length > L.sectionFields) v.push(`${at}: too many fields`);
        for (const f of b.fields ?? []) text(f.text, L.fieldText, `${at} field`);
        if (b.accessory) button(b.accessory, at);
        break;
      case 'context':
        if (b.elements.length === 0 || b.elements.length > L.contextElements)
          v.push(`${at}: ${b.elements.length} elements`);
        for (const e of b.elements) if ('text' in e) text(e.text, L.sectionText, at);
        break;
      case 'image':
        if (!b.image_url.startsWith('https://') || b.image_url.length > L.imageUrl)
          v.push(`${at}: bad image url`);
        text(b.alt_text, L.altText, `${at} alt`);
        break;
      case 'actions':
        if (b.elements.length === 0 || b.elements.length > L.actionsElements)
          v.push(`${at}: ${b.elements.length} elements`);
        for (const e of b.elements) button(e, at);
        break;
      case 'input': {
        if (b.block_id.length > L.id) v.push(`${at}: block_id too long`);
        text(b.label.text, L.inputLabel, `${at} label`);
        const el = b.element;
        if ('options' in el) {
          const max =
            el.type === 'radio_buttons' || el.type === 'checkboxes' ? L.radioOptions : L.selectOptions;
          if (el.options.length === 0 || el.options.length > max)
            v.push(`${at}: ${el.options.length} options`);
          for (const o of el.options) {
            text(o.text.text, L.optionText, `${at} option`);
            if (o.value.length > L.optionValue || o.value === '') v.push(`${at}: option value`);
          }
        }
        if (el.type === 'plain_text_input' && (el.initial_value ?? '').length > L.textInput)
          v.push(`${at}: initial value`);
        break;
      }
      case 'divider':
        break;
    }
  });
  return v;
}

/** Every button of a list of blocks. */
export function buttons(blocks: readonly SlackBlock[]): ButtonElement[] {
  return blocks.flatMap((b) =>
    b.type === 'actions' ? [...b.elements] : b.type === 'section' && b.accessory ? [b.accessory] : [],
  );
}

/** The verb+data of every Execute button, as the round trip decodes them. */
export function decodedActions(
  blocks: readonly SlackBlock[],
): { verb: string; data: Record<string, unknown> }[] {
  return buttons(blocks).flatMap((b) => {
    const d = decodeExecute(b.action_id, b.value);
    return d === null ? [] : [d];
  });
}

/** What Slack reports in state.values for a rendered form left at its initial values. */
export function initialState(blocks: readonly SlackBlock[]): StateValues {
  const values: Record<string, Record<string, unknown>> = {};
  for (const b of blocks) {
    if (b.type !== 'input') continue;
    const el = b.element;
    let state: Record<string, unknown>;
    switch (el.type) {
      case 'plain_text_input':
        state = { type: el.type, value: el.initial_value ?? null };
        break;
      case 'datepicker':
        state = { type: el.type, selected_date: el.initial_date ?? null };
        break;
      case 'static_select':
      case 'radio_buttons':
        state = { type: el.type, selected_option: el.initial_option ?? null };
        break;
      default:
        state = { type: el.type, selected_options: el.initial_options ?? [] };
    }
    values[b.block_id] = { [el.action_id]: state };
  }
  return values as StateValues;
}
