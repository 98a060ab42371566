// Adaptive Card rendering with the official renderer (window.AdaptiveCards, served from the npm package):
// safe markdown, safe OpenUrl, Action.Execute handed to the caller, and every parse/validation issue
// recorded on window.__cardIssues so the browser test can assert there were none.
import { renderMarkdown } from './markdown.js';

const AC = window.AdaptiveCards;

/** Every issue the renderer reported for any card on this page. */
export const cardIssues = [];
window.__cardIssues = cardIssues;

AC.AdaptiveCard.onProcessMarkdown = (text, result) => {
  result.outputHtml = renderMarkdown(text);
  result.didProcess = true;
};

const hostConfig = new AC.HostConfig({
  fontFamily: 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif',
  supportsInteractivity: true,
  spacing: { small: 4, default: 8, medium: 16, large: 24, extraLarge: 32, padding: 14 },
  actions: { maxActions: 8, buttonSpacing: 8, actionsOrientation: 'horizontal', actionAlignment: 'left' },
  // A partial host config loses the renderer's container backgrounds, so every style is given one.
  containerStyles: {
    default: { backgroundColor: '#FFFFFF' },
    emphasis: { backgroundColor: '#F3F4F7' },
    accent: { backgroundColor: '#E8EEFC' },
    good: { backgroundColor: '#E7F5EA' },
    attention: { backgroundColor: '#FDECEA' },
    warning: { backgroundColor: '#FFF4E5' },
  },
});

function describe(event) {
  const phase = AC.ValidationPhase ? AC.ValidationPhase[event.phase] : String(event.phase);
  const kind = AC.ValidationEvent ? AC.ValidationEvent[event.event] : String(event.event);
  return { phase: phase ?? String(event.phase), event: kind ?? String(event.event), message: event.message };
}

/** Opens http(s) links only, in a new tab without an opener. */
export function openSafely(url) {
  try {
    const u = new URL(String(url), window.location.href);
    if (u.protocol === 'https:' || u.protocol === 'http:')
      window.open(u.href, '_blank', 'noopener,noreferrer');
  } catch {
    // Not a URL: nothing to open.
  }
}

function dataOf(action) {
  const d = action.data;
  return d && typeof d === 'object' && !Array.isArray(d) ? d : {};
}

/**
 * Parses and renders one card. `onExecute({ verb, data })` runs for Action.Execute (inputs merged into
 * data by the renderer). Returns the element (or null) and the issues found in this card.
 */
export function renderCard(json, where, onExecute) {
  const card = new AC.AdaptiveCard();
  card.hostConfig = hostConfig;
  const context = new AC.SerializationContext();
  card.parse(json, context);
  const issues = [];
  for (let i = 0; i < context.eventCount; i++) issues.push(describe(context.getEventAt(i)));
  for (const e of card.validateProperties().validationEvents) issues.push(describe(e));
  for (const issue of issues) cardIssues.push({ ...issue, where });
  card.onExecuteAction = (action) => {
    if (action instanceof AC.OpenUrlAction) {
      if (action.url) openSafely(action.url);
    } else if (action instanceof AC.ExecuteAction) {
      onExecute({ verb: action.verb ?? '', data: dataOf(action) });
    } else {
      cardIssues.push({
        phase: 'Execute',
        event: 'UnsupportedAction',
        message: action.getJsonTypeName(),
        where,
      });
    }
  };
  const element = card.render() ?? null;
  if (element !== null) wrapActions(element);
  return { element, issues };
}

/**
 * On a narrow card (the side pane, Teams' 320 px) buttons wrap onto more rows, as Teams lays them out,
 * instead of the renderer squeezing them into one row and cutting each label to "Open i…". The renderer
 * sets these as inline styles, so they are changed on the rendered elements.
 */
function wrapActions(root) {
  for (const set of root.querySelectorAll('.ac-actionSet')) {
    set.style.flexWrap = 'wrap';
    set.style.rowGap = '8px';
  }
  for (const button of root.querySelectorAll('.ac-pushButton')) {
    button.style.flex = '0 1 auto';
    button.style.maxWidth = '100%';
    for (const node of [button, ...button.querySelectorAll('*')]) {
      node.style.whiteSpace = 'normal';
      node.style.overflow = 'visible';
      node.style.textOverflow = 'clip';
    }
  }
}
