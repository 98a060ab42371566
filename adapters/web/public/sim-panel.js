// The expert panel: the console acting as the provider's own tooling on the simulated service. Each
// button calls /console/api/sim/*, which moves the incident and syncs it so chats see it at once.
import { api, el } from './api.js';

const field = (label, control) => el('label', { class: 'field' }, el('span', {}, label), control);

/** Builds the panel inside `root`; it shows itself only for personas with the expert role. */
export function createSimPanel(root) {
  let persona = null;
  let state = null;
  let selected = null;
  let incidents = [];

  const customer = el('select', { id: 'sim-customer', onchange: () => refresh(null) });
  const pause = el('button', { type: 'button', dataset: { sim: 'pause' }, onclick: togglePause }, 'Pause');
  const status = el('p', { class: 'sim-status', role: 'status' });
  const rows = el('tbody');
  const heading = el('h3', {}, 'Select an incident');
  const classification = el('select', { dataset: { sim: 'classification' } });
  const determination = el('select', { dataset: { sim: 'determination' } });
  const summary = el('textarea', { rows: 2, placeholder: 'Summary for Comments and history' });
  const resolveComment = el('input', { type: 'text', placeholder: 'Resolving comment' });
  const comment = el('input', { type: 'text', placeholder: 'Comment' });
  const handoff = el('button', { type: 'button', dataset: { sim: 'handoff' } }, 'Hand off to customer');
  const actions = el('div', { class: 'sim-actions', hidden: true });

  function say(text, isError = false) {
    status.textContent = text;
    status.classList.toggle('error', isError);
  }

  async function run(path, body, describe) {
    try {
      const result = await api(`/sim/${path}`, { personaId: persona.id, ...body });
      say(describe(result));
      await refresh(result.incident?.id ?? selected);
    } catch (error) {
      say(error.message, true);
    }
  }

  const target = () => ({ customerId: customer.value, incidentId: selected });
  const moved = (r) => `Incident ${r.incident.id}: ${r.incident.status} · ${r.incident.assignedTo}`;

  async function togglePause() {
    await run('pause', { paused: !state.paused }, (r) => {
      state.paused = r.paused;
      return r.paused ? 'Simulation paused.' : 'Simulation running.';
    });
  }

  function renderRows() {
    rows.replaceChildren(
      ...incidents.map((i) =>
        el(
          'tr',
          {
            class: i.id === selected ? 'selected' : '',
            dataset: { incident: i.id, status: i.statusValue },
            onclick: () => choose(i.id),
          },
          el('td', {}, i.id),
          el('td', { class: 'title' }, i.title),
          el('td', {}, i.status),
          el('td', {}, i.assignedTo),
        ),
      ),
    );
  }

  function choose(id) {
    selected = incidents.some((i) => i.id === id) ? id : null;
    const incident = incidents.find((i) => i.id === selected);
    heading.textContent = incident ? `Incident ${incident.id} — ${incident.status}` : 'Select an incident';
    actions.hidden = !incident;
    renderRows();
  }

  async function refresh(keep) {
    if (!customer.value) return;
    try {
      const data = await api(`/sim/incidents?customer=${encodeURIComponent(customer.value)}`);
      incidents = data.incidents;
      const access = state.customers.find((c) => c.id === customer.value)?.expertsAccess;
      handoff.hidden = access !== 'reader';
      pause.textContent = state.paused ? 'Resume' : 'Pause';
      choose(keep);
    } catch (error) {
      say(error.message, true);
    }
  }

  async function load() {
    state = await api('/sim/state');
    customer.replaceChildren(...state.customers.map((c) => el('option', { value: c.id }, c.name)));
    classification.replaceChildren(
      ...state.classifications.map((c) => el('option', { value: c.value }, c.label)),
    );
    determination.replaceChildren(
      ...state.determinations.map((d) => el('option', { value: d.value }, d.label)),
    );
    await refresh(null);
  }

  const button = (name, label, onclick) =>
    el('button', { type: 'button', dataset: { sim: name }, onclick }, label);
  handoff.addEventListener('click', () => run('handoff', target(), moved));
  actions.append(
    heading,
    el(
      'div',
      { class: 'row' },
      button('start', 'Start investigating', () => run('start', target(), moved)),
    ),
    el(
      'div',
      { class: 'group' },
      field('Classification', classification),
      field('Determination', determination),
      field('Summary', summary),
      button('classify', 'Classify', () =>
        run(
          'classify',
          {
            ...target(),
            classification: classification.value,
            determination: determination.value,
            summary: summary.value || 'Classified by Defender Experts.',
          },
          moved,
        ),
      ),
    ),
    el('div', { class: 'row' }, handoff),
    el(
      'div',
      { class: 'row' },
      resolveComment,
      button('resolve', 'Resolve', () =>
        run(
          'resolve',
          { ...target(), comment: resolveComment.value || 'Resolved by Defender Experts.' },
          moved,
        ),
      ),
    ),
    el(
      'div',
      { class: 'row' },
      comment,
      button('comment', 'Comment', () => run('comment', { ...target(), text: comment.value }, moved)),
    ),
  );

  root.replaceChildren(
    el('h2', {}, 'Expert panel'),
    el(
      'p',
      { class: 'hint' },
      'Act as Defender Experts on the simulated service. Changes reach the chats at once.',
    ),
    el(
      'div',
      { class: 'row' },
      field('Customer', customer),
      button('step', 'Step simulation', () => run('step', {}, () => 'Simulation advanced one step.')),
      pause,
      button('create', 'New incident', () =>
        run('create', { customerId: customer.value }, (r) => `Created incident ${r.incident.id}.`),
      ),
    ),
    status,
    el(
      'div',
      { class: 'table-wrap' },
      el(
        'table',
        { class: 'sim-incidents' },
        el(
          'thead',
          {},
          el(
            'tr',
            {},
            el('th', {}, 'Id'),
            el('th', {}, 'Title'),
            el('th', {}, 'Status'),
            el('th', {}, 'Assigned'),
          ),
        ),
        rows,
      ),
    ),
    actions,
  );

  return {
    show(p) {
      persona = p;
      root.hidden = !p.roles.includes('expert');
      if (!root.hidden && state === null) load().catch((error) => say(error.message, true));
    },
  };
}
