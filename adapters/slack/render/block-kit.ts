// The subset of Block Kit the renderer produces, typed tightly so tests can walk it, plus Slack's limits in
// one place. Structurally compatible with @slack/types' KnownBlock; kept here so no other folder needs it.

/** Slack's published limits (Block Kit reference), and our own budget for a whole message. */
export const SLACK_LIMITS = {
  messageBlocks: 50,
  viewBlocks: 100,
  /** Visible characters per message; Slack truncates or refuses much beyond about 13k. */
  messageChars: 12_000,
  /** Views have no documented text total (only 100 blocks in a 250 kB payload): a generous bound. */
  viewChars: 60_000,
  sectionText: 3_000,
  sectionFields: 10,
  fieldText: 2_000,
  headerText: 150,
  contextElements: 10,
  actionsElements: 25,
  id: 255,
  buttonValue: 2_000,
  buttonText: 75,
  optionText: 75,
  optionValue: 150,
  selectOptions: 100,
  radioOptions: 10,
  inputLabel: 2_000,
  placeholder: 150,
  textInput: 3_000,
  imageUrl: 3_000,
  altText: 2_000,
  confirmTitle: 100,
  confirmText: 300,
  confirmButton: 30,
  modalTitle: 24,
  modalButton: 24,
  privateMetadata: 3_000,
  /** Slack's `text` fallback on chat.postMessage: notifications and clients without blocks. */
  messageText: 3_000,
} as const;

/** Text Slack never parses (headers, buttons, labels): no escaping needed, no mention possible. */
export interface PlainText {
  readonly type: 'plain_text';
  readonly text: string;
  readonly emoji?: boolean;
}

export interface Mrkdwn {
  readonly type: 'mrkdwn';
  readonly text: string;
  /** Always true here: Slack then neither linkifies URLs nor parses @channel or #channel in our text. */
  readonly verbatim: true;
}

/** Either kind of text object. */
export type TextObject = PlainText | Mrkdwn;

/** Slack's confirm dialog, shown before a destructive action is sent. */
export interface Confirm {
  readonly title: PlainText;
  readonly text: PlainText;
  readonly confirm: PlainText;
  readonly deny: PlainText;
  readonly style?: 'danger' | 'primary';
}

/** A button: a card action (value carries its data) or a link (url). */
export interface ButtonElement {
  readonly type: 'button';
  readonly text: PlainText;
  readonly action_id: string;
  readonly value?: string;
  readonly url?: string;
  readonly style?: 'primary' | 'danger';
  readonly confirm?: Confirm;
}

/** One choice of a select, radio or checkbox group. */
export interface OptionObject {
  readonly text: PlainText;
  readonly value: string;
}

/** The input elements card inputs map to (text, select, radio, checkboxes, date). */
export type InputElement =
  | {
      readonly type: 'plain_text_input';
      readonly action_id: string;
      readonly multiline?: boolean;
      readonly initial_value?: string;
      readonly placeholder?: PlainText;
      readonly max_length?: number;
    }
  | {
      readonly type: 'static_select' | 'radio_buttons';
      readonly action_id: string;
      readonly options: readonly OptionObject[];
      readonly initial_option?: OptionObject;
      readonly placeholder?: PlainText;
    }
  | {
      readonly type: 'multi_static_select' | 'checkboxes';
      readonly action_id: string;
      readonly options: readonly OptionObject[];
      readonly initial_options?: readonly OptionObject[];
      readonly placeholder?: PlainText;
    }
  | {
      readonly type: 'datepicker';
      readonly action_id: string;
      readonly initial_date?: string;
      readonly placeholder?: PlainText;
    };

/** The blocks the renderer emits; tests walk this union to check every limit. */
export type SlackBlock =
  | { readonly type: 'header'; readonly text: PlainText }
  | { readonly type: 'divider' }
  | {
      readonly type: 'section';
      readonly text?: Mrkdwn;
      readonly fields?: readonly Mrkdwn[];
      readonly accessory?: ButtonElement;
    }
  | {
      readonly type: 'context';
      readonly elements: readonly (Mrkdwn | { type: 'image'; image_url: string; alt_text: string })[];
    }
  | {
      readonly type: 'image';
      readonly image_url: string;
      readonly alt_text: string;
      readonly title?: PlainText;
    }
  | { readonly type: 'actions'; readonly elements: readonly ButtonElement[] }
  | {
      readonly type: 'input';
      readonly block_id: string;
      readonly label: PlainText;
      readonly optional: boolean;
      readonly element: InputElement;
    };

/** A modal or Home tab view. */
export interface SlackView {
  readonly type: 'modal' | 'home';
  readonly blocks: readonly SlackBlock[];
  readonly callback_id?: string;
  readonly title?: PlainText;
  readonly submit?: PlainText;
  readonly close?: PlainText;
  readonly private_metadata?: string;
}

/** Cuts plain text to `max` code points, marking the cut with "…" so a cut is never mistaken for the whole. */
export function clip(text: string, max: number): string {
  const points = Array.from(text);
  if (points.length <= max) return text;
  return `${points.slice(0, Math.max(0, max - 1)).join('')}…`;
}

/** A plain_text object, cut to Slack's limit for where it goes (Slack refuses blank text: "–" then). */
export const plain = (text: string, max: number): PlainText => ({
  type: 'plain_text',
  text: clip(text.trim() === '' ? '–' : text, max),
  emoji: true,
});

/** A mrkdwn object; the text must already be escaped (see mrkdwn.ts). */
export const mrkdwn = (text: string): Mrkdwn => ({ type: 'mrkdwn', text, verbatim: true });

/** The characters a reader sees in a block: what the per-message budget counts. */
export function blockChars(block: SlackBlock): number {
  switch (block.type) {
    case 'header':
      return block.text.text.length;
    case 'divider':
      return 0;
    case 'section':
      return (
        (block.text?.text.length ?? 0) +
        (block.fields ?? []).reduce((n, f) => n + f.text.length, 0) +
        (block.accessory?.text.text.length ?? 0)
      );
    case 'context':
      return block.elements.reduce((n, e) => n + ('text' in e ? e.text.length : e.alt_text.length), 0);
    case 'image':
      return block.alt_text.length + (block.title?.text.length ?? 0);
    case 'actions':
      return block.elements.reduce((n, e) => n + e.text.text.length, 0);
    case 'input': {
      const el = block.element;
      const options = 'options' in el ? el.options.reduce((n, o) => n + o.text.text.length, 0) : 0;
      const initial = el.type === 'plain_text_input' ? (el.initial_value?.length ?? 0) : 0;
      return block.label.text.length + options + initial;
    }
  }
}
