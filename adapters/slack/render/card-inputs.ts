import { encodeInputBlockId, INPUT_ACTION_ID, type InputKind } from './action-codec.js';
import { clip, type InputElement, type OptionObject, plain, SLACK_LIMITS } from './block-kit.js';
import { cardMarkdownToPlain } from './mrkdwn.js';
import {
  isRecord,
  type Json,
  list,
  noteUnits,
  type RenderContext,
  str,
  type Unit,
} from './render-context.js';

// Card inputs → input blocks. Each block id names the card input (and its kind), so the values Slack sends
// back in `state.values` are merged into the action's data under the same ids an Adaptive Card host uses.

export const INPUT_TYPES = ['Input.Text', 'Input.ChoiceSet', 'Input.Toggle', 'Input.Date'] as const;

const DATE = /^\d{4}-\d{2}-\d{2}$/;

const placeholderOf = (el: Json) => {
  const p = str(el.placeholder);
  return p === null || p.trim() === '' ? undefined : plain(p, SLACK_LIMITS.placeholder);
};

function choiceOptions(el: Json): { options: OptionObject[]; dropped: number } {
  const choices = list(el.choices).filter(isRecord);
  const options: OptionObject[] = [];
  let dropped = 0;
  for (const choice of choices) {
    const value = str(choice.value) ?? '';
    if (
      value === '' ||
      value.length > SLACK_LIMITS.optionValue ||
      options.length >= SLACK_LIMITS.selectOptions
    ) {
      dropped += 1;
      continue;
    }
    const title = (str(choice.title) ?? '').trim() === '' ? value : (str(choice.title) ?? value);
    options.push({ text: plain(title, SLACK_LIMITS.optionText), value });
  }
  return { options, dropped };
}

function choiceElement(el: Json): { element: InputElement; kind: InputKind; dropped: number } | null {
  const { options, dropped } = choiceOptions(el);
  if (options.length === 0) return null;
  const multi = el.isMultiSelect === true;
  const expanded = el.style === 'expanded' && options.length <= SLACK_LIMITS.radioOptions;
  const wanted = (str(el.value) ?? '').split(multi ? ',' : '\u0000').map((v) => v.trim());
  const initial = options.filter((o) => wanted.includes(o.value));
  const placeholder = expanded ? undefined : placeholderOf(el);
  if (multi) {
    return {
      kind: 'm',
      dropped,
      element: {
        type: expanded ? 'checkboxes' : 'multi_static_select',
        action_id: INPUT_ACTION_ID,
        options,
        ...(initial.length > 0 ? { initial_options: initial } : {}),
        ...(placeholder ? { placeholder } : {}),
      },
    };
  }
  const first = initial[0];
  return {
    kind: 'c',
    dropped,
    element: {
      type: expanded ? 'radio_buttons' : 'static_select',
      action_id: INPUT_ACTION_ID,
      options,
      ...(first ? { initial_option: first } : {}),
      ...(placeholder ? { placeholder } : {}),
    },
  };
}

function elementFor(
  el: Json,
): { element: InputElement; kind: InputKind; off?: string; dropped: number } | null {
  const placeholder = placeholderOf(el);
  switch (el.type) {
    case 'Input.Text': {
      const value = str(el.value);
      const limit = typeof el.maxLength === 'number' && el.maxLength > 0 ? el.maxLength : undefined;
      // Slack caps max_length at 3,000 but takes longer text without one: a longer limit (the Ask form's
      // 4,000) is checked when the modal is submitted, so every surface keeps the card's own limit.
      const max = limit !== undefined && limit <= SLACK_LIMITS.textInput ? limit : undefined;
      return {
        kind: 't',
        dropped: 0,
        element: {
          type: 'plain_text_input',
          action_id: INPUT_ACTION_ID,
          multiline: el.isMultiline === true,
          ...(value ? { initial_value: clip(value, limit ?? SLACK_LIMITS.textInput) } : {}),
          ...(placeholder ? { placeholder } : {}),
          ...(max ? { max_length: max } : {}),
        },
      };
    }
    case 'Input.ChoiceSet':
      return choiceElement(el);
    case 'Input.Toggle': {
      const on = str(el.valueOn) ?? 'true';
      const off = str(el.valueOff) ?? 'false';
      if (on === '' || on.length > SLACK_LIMITS.optionValue) return null;
      const option = { text: plain(str(el.title) ?? 'Yes', SLACK_LIMITS.optionText), value: on };
      return {
        kind: 'b',
        off,
        dropped: 0,
        element: {
          type: 'checkboxes',
          action_id: INPUT_ACTION_ID,
          options: [option],
          ...(str(el.value) === on ? { initial_options: [option] } : {}),
        },
      };
    }
    case 'Input.Date': {
      const value = str(el.value);
      return {
        kind: 'd',
        dropped: 0,
        element: {
          type: 'datepicker',
          action_id: INPUT_ACTION_ID,
          ...(value && DATE.test(value) ? { initial_date: value } : {}),
          ...(placeholder ? { placeholder } : {}),
        },
      };
    }
    default:
      return null;
  }
}

/** An input element → one pinned input block (or a visible note when Slack cannot carry it). */
export function inputUnits(el: Json, ctx: RenderContext): Unit[] {
  const id = str(el.id) ?? '';
  const built = id === '' ? null : elementFor(el);
  const label = cardMarkdownToPlain(str(el.label) ?? str(el.title) ?? id);
  const blockId = built === null ? null : encodeInputBlockId(ctx.nonce, id, built.kind, built.off);
  if (built === null || blockId === null) {
    return noteUnits(`The field “${label || 'input'}” cannot be shown in Slack.`, true);
  }
  const units: Unit[] = [
    {
      pinned: true,
      block: {
        type: 'input',
        block_id: blockId,
        label: plain(label || 'Value', SLACK_LIMITS.inputLabel),
        optional: el.isRequired !== true,
        element: built.element,
      },
    },
  ];
  if (built.dropped > 0) {
    units.push(...noteUnits(`${built.dropped} choice(s) of “${label}” cannot be offered in Slack.`, true));
  }
  return units;
}

/** True when the card element tree holds an input outside ShowCards (those open as modals). */
export function hasInputs(elements: readonly unknown[]): boolean {
  return elements.some((el) => {
    if (!isRecord(el)) return false;
    if (typeof el.type === 'string' && (INPUT_TYPES as readonly string[]).includes(el.type)) return true;
    const children = [
      ...list(el.items),
      ...list(el.columns),
      ...list(el.rows).flatMap((r) => (isRecord(r) ? list(r.cells) : [])),
    ];
    return hasInputs(children);
  });
}
