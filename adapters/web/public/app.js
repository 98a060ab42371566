// The console page: pick a persona, chat with the bot as that persona, run card actions, and (for the
// provider's expert) drive the simulation. All data goes through /console/api.
import { createAlertsPane } from './alerts.js';
import { api, el, newDeliveryId } from './api.js';
import { createSimPanel } from './sim-panel.js';
import { createTranscripts } from './transcript.js';

const $ = (id) => document.getElementById(id);
const picker = $('persona');
const roles = $('persona-roles');
const composer = $('composer');
const input = $('message');

let personas = new Map();
let current = null;

const transcripts = createTranscripts($('transcripts'), (persona, action, message) =>
  sendAction(persona, action, message),
);
// What reaches the persona's own chat (answers to its requests) is shown in its transcript, where it asked.
const alerts = createAlertsPane(
  $('alerts-pane'),
  (persona, action) => sendAction(persona, action, null),
  (persona, reply) => transcripts.addReplies(persona, [{ ...reply, mode: 'new' }]),
);
let simPanel = null;

async function turn(persona, payload, source) {
  const done = transcripts.pending(persona);
  source?.classList.add('busy');
  try {
    const { replies } = await api('/turn', {
      personaId: persona.id,
      deliveryId: newDeliveryId(),
      ...payload,
    });
    transcripts.addReplies(persona, replies, source);
  } catch (error) {
    transcripts.addError(persona, `Could not reach the bot: ${error.message}`);
  } finally {
    source?.classList.remove('busy');
    done();
  }
}

function sendText(text) {
  const persona = current;
  const trimmed = text.trim();
  if (!persona || trimmed === '') return;
  transcripts.addUser(persona, trimmed);
  turn(persona, { text: trimmed }, null);
}

function sendAction(persona, action, source) {
  return turn(persona, { action }, source);
}

function select(id) {
  const persona = personas.get(id);
  if (!persona) return;
  current = persona;
  picker.value = id;
  roles.textContent = persona.roles.length > 0 ? persona.roles.join(' · ') : 'not linked';
  document.body.dataset.persona = id;
  transcripts.show(persona);
  alerts.show(persona);
  simPanel?.show(persona);
  history.replaceState(null, '', `#persona=${encodeURIComponent(id)}`);
  input.focus();
}

function fillPicker(list) {
  const groups = new Map();
  for (const p of list) {
    const group = p.customerName ?? 'Provider';
    if (!groups.has(group)) groups.set(group, el('optgroup', { label: group }));
    groups.get(group).append(el('option', { value: p.id }, p.label));
  }
  picker.replaceChildren(...groups.values());
}

async function main() {
  const data = await api('/personas');
  personas = new Map(data.personas.map((p) => [p.id, p]));
  fillPicker(data.personas);
  if (data.simulation) simPanel = createSimPanel($('sim-panel'));
  picker.addEventListener('change', () => select(picker.value));
  composer.addEventListener('submit', (event) => {
    event.preventDefault();
    const text = input.value;
    input.value = '';
    sendText(text);
  });
  input.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      composer.requestSubmit();
    }
  });
  for (const button of document.querySelectorAll('[data-quick]')) {
    button.addEventListener('click', () => sendText(button.dataset.quick));
  }
  const fromHash = new URLSearchParams(window.location.hash.slice(1)).get('persona');
  const first = data.personas.find((p) => p.kind === 'analyst') ?? data.personas[0];
  select(fromHash && personas.has(fromHash) ? fromHash : first?.id);
}

main().catch((error) => {
  document.body.prepend(
    el('p', { class: 'fatal', role: 'alert' }, `Console failed to start: ${error.message}`),
  );
});
