import type { ObservedButton } from './surface.js';

// What a person reads on an Adaptive Card (Teams and the dev console draw the same card): its texts, its
// first heading, its facts, the buttons it offers (a ShowCard's inner buttons too, as the host unfolds
// them) and the ids of its inputs. The card's refresh action is not a button anyone sees.

type Json = Record<string, unknown>;

const isJson = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

export interface CardView {
  readonly texts: string[];
  readonly title: string | null;
  readonly facts: Record<string, string>;
  readonly buttons: ObservedButton[];
  readonly inputs: string[];
}

/** Reads an Adaptive Card (or null) into what the person sees of it. */
export function viewCard(card: unknown): CardView {
  const view: CardView = { texts: [], title: null, facts: {}, buttons: [], inputs: [] };
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) {
      for (const n of node) walk(n);
      return;
    }
    if (!isJson(node)) return;
    const type = node.type;
    if (type === 'TextBlock' && typeof node.text === 'string') {
      view.texts.push(node.text);
      if (view.title === null) (view as { title: string | null }).title = node.text;
    }
    if (type === 'TextRun' && typeof node.text === 'string') view.texts.push(node.text);
    if (type === 'FactSet' && Array.isArray(node.facts)) {
      for (const f of node.facts) {
        if (isJson(f) && typeof f.title === 'string') {
          view.facts[f.title] = String(f.value ?? '');
          view.texts.push(`${f.title} ${String(f.value ?? '')}`);
        }
      }
    }
    if (typeof type === 'string' && type.startsWith('Input.') && typeof node.id === 'string') {
      view.inputs.push(node.id);
      if (typeof node.label === 'string') view.texts.push(node.label);
    }
    if ((type === 'Action.Execute' || type === 'Action.Submit') && typeof node.title === 'string') {
      const data = isJson(node.data) ? node.data : {};
      const verb = typeof node.verb === 'string' ? node.verb : String(data.verb ?? '');
      view.buttons.push({ title: node.title, verb, data });
    }
    for (const [key, value] of Object.entries(node)) if (key !== 'refresh' && key !== 'fallback') walk(value);
  };
  walk(card);
  return view;
}
