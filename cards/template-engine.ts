import { createRequire } from 'node:module';
import askForm from './templates/ask-form.json' with { type: 'json' };
import awaitingSummary from './templates/awaiting-summary.json' with { type: 'json' };
import checkin from './templates/checkin.json' with { type: 'json' };
import checkinItem from './templates/checkin-item.json' with { type: 'json' };
import guidedResponseConfirm from './templates/guided-response-confirm.json' with { type: 'json' };
import help from './templates/help.json' with { type: 'json' };
import incidentAlert from './templates/incident-alert.json' with { type: 'json' };
import incidentDetail from './templates/incident-detail.json' with { type: 'json' };
import incidentList from './templates/incident-list.json' with { type: 'json' };
import incidentPreview from './templates/incident-preview.json' with { type: 'json' };
import messages from './templates/messages.json' with { type: 'json' };
import notice from './templates/notice.json' with { type: 'json' };
import questionList from './templates/question-list.json' with { type: 'json' };
import questionQueue from './templates/question-queue.json' with { type: 'json' };
import questionRequest from './templates/question-request.json' with { type: 'json' };
import relayChoice from './templates/relay-choice.json' with { type: 'json' };
import relayMessage from './templates/relay-message.json' with { type: 'json' };
import relayPassed from './templates/relay-passed.json' with { type: 'json' };
import report from './templates/report.json' with { type: 'json' };
import reportPostConfirm from './templates/report-post-confirm.json' with { type: 'json' };
import sdmContact from './templates/sdm-contact.json' with { type: 'json' };
import sdmForm from './templates/sdm-form.json' with { type: 'json' };
import unlinkedWorkspace from './templates/unlinked-workspace.json' with { type: 'json' };
import userCheckQuestion from './templates/user-check-question.json' with { type: 'json' };
import userCheckStatus from './templates/user-check-status.json' with { type: 'json' };
import welcome from './templates/welcome.json' with { type: 'json' };
import type { AdaptiveCard } from './types.js';

// The one typed door to adaptivecards-templating (whose types are `any`). Templates are parsed once and
// cached; data is bound as values, so text in data is never parsed as an expression.

/** JSON values a template may bind: what the builders put in their view models. */
export type TemplateValue =
  | string
  | number
  | boolean
  | null
  | readonly TemplateValue[]
  | { readonly [key: string]: TemplateValue };

/** The root data object of one expansion. */
export type TemplateData = { readonly [key: string]: TemplateValue };

/** The part of adaptivecards-templating's `Template` we use, typed here instead of its `any`. */
interface Template {
  expand(context: { readonly $root: TemplateData }): unknown;
}
type TemplateConstructor = new (payload: object) => Template;

// Loaded with require on purpose: the package's .d.ts imports adaptivecards' TypeScript *sources*, which
// tsc would then type-check (and reject under verbatimModuleSyntax). Its runtime is plain CommonJS.
const templating = createRequire(import.meta.url)('adaptivecards-templating') as {
  readonly Template: TemplateConstructor;
};

const PAYLOADS = {
  'ask-form': askForm,
  'awaiting-summary': awaitingSummary,
  'guided-response-confirm': guidedResponseConfirm,
  help,
  'incident-alert': incidentAlert,
  'incident-detail': incidentDetail,
  'incident-list': incidentList,
  'incident-preview': incidentPreview,
  messages,
  notice,
  'report-post-confirm': reportPostConfirm,
  checkin,
  'checkin-item': checkinItem,
  report,
  'sdm-contact': sdmContact,
  'sdm-form': sdmForm,
  'question-list': questionList,
  'question-queue': questionQueue,
  'question-request': questionRequest,
  'relay-choice': relayChoice,
  'relay-message': relayMessage,
  'relay-passed': relayPassed,
  'unlinked-workspace': unlinkedWorkspace,
  'user-check-question': userCheckQuestion,
  'user-check-status': userCheckStatus,
  welcome,
} as const;

/** The templates under cards/templates/, by file name. */
export type TemplateName = keyof typeof PAYLOADS;

/** All template names, for tests and benchmarks that walk every template. */
export const TEMPLATE_NAMES = Object.keys(PAYLOADS) as readonly TemplateName[];

const cache = new Map<TemplateName, Template>();
let parses = 0;

function parse(name: TemplateName): Template {
  parses += 1;
  return new templating.Template(PAYLOADS[name]);
}

/** How many times a template was parsed since start: stays at one per name when the cache works. */
export function templateParseCount(): number {
  return parses;
}

function toCard(name: TemplateName, expanded: unknown): AdaptiveCard {
  if (
    typeof expanded !== 'object' ||
    expanded === null ||
    (expanded as { type?: unknown }).type !== 'AdaptiveCard' ||
    (expanded as { version?: unknown }).version !== '1.5'
  ) {
    throw new Error(`template ${name} did not expand to an Adaptive Card 1.5`);
  }
  return expanded as AdaptiveCard;
}

function run(template: Template, name: TemplateName, data: TemplateData): AdaptiveCard {
  return toCard(name, template.expand({ $root: data }));
}

let fresh = false;

/** Expands a cached template with data: the path every builder takes. */
export function expandTemplate(name: TemplateName, data: TemplateData): AdaptiveCard {
  if (fresh) return expandTemplateUncached(name, data);
  let template = cache.get(name);
  if (template === undefined) {
    template = parse(name);
    cache.set(name, template);
  }
  return run(template, name, data);
}

/** Parses the template afresh on every call: the benchmark baseline, never used by builders. */
export function expandTemplateUncached(name: TemplateName, data: TemplateData): AdaptiveCard {
  return run(parse(name), name, data);
}

/**
 * Runs `fn` (synchronously) with every expansion parsing its template afresh: the benchmark baseline for
 * whole builders, so the same view models are expanded both ways. Never used on a serving path.
 */
export function withFreshTemplates<T>(fn: () => T): T {
  fresh = true;
  try {
    return fn();
  } finally {
    fresh = false;
  }
}
