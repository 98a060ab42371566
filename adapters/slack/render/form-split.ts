import { INPUT_TYPES } from './card-inputs.js';
import { isRecord, type Json, list } from './render-context.js';

// A card whose inputs (with the buttons that submit them) do not fit in one message cannot be split across
// messages: Slack sends only the clicked message's state. Such a card is split into its content, which stays
// in the message, and a form card — every input and every submit action, in order — that opens as a modal.

const isInput = (el: Json): boolean =>
  typeof el.type === 'string' && (INPUT_TYPES as readonly string[]).includes(el.type);
const isSubmit = (a: unknown): boolean =>
  isRecord(a) && (a.type === 'Action.Execute' || a.type === 'Action.Submit');

function inputsOf(elements: readonly unknown[]): Json[] {
  return elements.filter(isRecord).flatMap((el) => {
    if (isInput(el)) return [el];
    const rows = list(el.rows).flatMap((r) => (isRecord(r) ? list(r.cells) : []));
    return inputsOf([...list(el.items), ...list(el.columns), ...rows]);
  });
}

function submitsOf(elements: readonly unknown[]): unknown[] {
  return elements.filter(isRecord).flatMap((el) => {
    if (el.type === 'ActionSet') return list(el.actions).filter(isSubmit);
    const rows = list(el.rows).flatMap((r) => (isRecord(r) ? list(r.cells) : []));
    return submitsOf([...list(el.items), ...list(el.columns), ...rows]);
  });
}

/** The elements without their inputs and submit buttons (what stays in the message). */
function withoutForm(elements: readonly unknown[]): unknown[] {
  return elements.filter(isRecord).flatMap((el): unknown[] => {
    if (isInput(el)) return [];
    if (el.type === 'ActionSet') {
      const rest = list(el.actions).filter((a) => !isSubmit(a));
      return rest.length === 0 ? [] : [{ ...el, actions: rest }];
    }
    const copy: Record<string, unknown> = { ...el };
    // Columns are elements with items: the same walk strips them.
    for (const key of ['items', 'columns'] as const)
      if (Array.isArray(el[key])) copy[key] = withoutForm(list(el[key]));
    return [copy];
  });
}

/** Splits a card into what stays in the message and the form that opens as a modal. */
export function splitForm(card: Json): { content: Json; form: Json } {
  const body = list(card.body);
  const actions = list(card.actions);
  return {
    content: { ...card, body: withoutForm(body), actions: actions.filter((a) => !isSubmit(a)) },
    form: {
      type: 'AdaptiveCard',
      version: '1.5',
      body: inputsOf(body),
      actions: [...submitsOf(body), ...actions.filter(isSubmit)],
    },
  };
}
