import { describe, expect, it } from 'vitest';
import { parseActionPayload } from '../../../bot/actions/registry.js';
import { isIsoDate, SDM_INPUTS, SDM_VERBS } from '../../../cards/sdm-verbs.js';

// The SDM verbs' data is parsed, never trusted: inputs merged in by Teams/Slack are typed and bounded, and
// anything malformed is refused as a whole.

describe('SDM verbs', () => {
  it('parses report buttons, refusing odd periods and customer ids', () => {
    expect(parseActionPayload(SDM_VERBS.reportShow, { customer: null, period: '7d' })).toEqual({
      verb: 'report.show',
      data: { customer: null, period: '7d' },
    });
    expect(
      parseActionPayload(SDM_VERBS.reportPost, { customer: 'contoso', period: '2026-10' })?.data,
    ).toEqual({
      customer: 'contoso',
      period: '2026-10',
    });
    for (const bad of [
      { customer: null, period: '8d' },
      { customer: null, period: '2026-13' },
      { customer: '../x', period: '7d' },
      { customer: 'Contoso', period: '7d' },
      { customer: 42, period: '7d' },
    ])
      expect(parseActionPayload(SDM_VERBS.reportShow, bad), JSON.stringify(bad)).toBeNull();
  });

  it('reads check-in inputs: absent keeps, blank clears the date, "-" clears owner and note, bad values refuse', () => {
    const base = { customer: 'contoso', key: 'score:AdminMFAV2' };
    expect(parseActionPayload(SDM_VERBS.checkinSave, base)?.data).toEqual(base);
    expect(
      parseActionPayload(SDM_VERBS.checkinSave, {
        ...base,
        [SDM_INPUTS.state]: 'riskAccepted',
        [SDM_INPUTS.owner]: '  ',
        [SDM_INPUTS.due]: '',
        [SDM_INPUTS.note]: '-',
        injected: 'ignored',
      })?.data,
    ).toEqual({ ...base, state: 'riskAccepted', dueDate: null, note: null });
    expect(
      parseActionPayload(SDM_VERBS.checkinSave, { ...base, [SDM_INPUTS.owner]: '-', [SDM_INPUTS.note]: '' })
        ?.data,
    ).toEqual({ ...base, owner: null });
    expect(parseActionPayload(SDM_VERBS.checkinSave, { ...base, [SDM_INPUTS.note]: '' })?.data).toEqual(base);
    for (const bad of [
      { [SDM_INPUTS.state]: 'Done' },
      { [SDM_INPUTS.due]: '2026-02-29' },
      { [SDM_INPUTS.due]: '27/11/2026' },
      { [SDM_INPUTS.owner]: 7 },
      { [SDM_INPUTS.note]: 'n'.repeat(1001) },
    ])
      expect(parseActionPayload(SDM_VERBS.checkinSave, { ...base, ...bad }), JSON.stringify(bad)).toBeNull();
    expect(parseActionPayload(SDM_VERBS.checkinItem, { customer: 'contoso', key: 'a b' })).toBeNull();
  });

  it('reads the SDM forms', () => {
    expect(parseActionPayload(SDM_VERBS.sdmForm, { kind: 'optOut' })?.data).toEqual({ kind: 'optOut' });
    expect(parseActionPayload(SDM_VERBS.sdmForm, { kind: 'call' })).toBeNull();
    expect(
      parseActionPayload(SDM_VERBS.sdmSend, {
        kind: 'escalation',
        [SDM_INPUTS.severity]: 'high',
        [SDM_INPUTS.text]: ' late handoff ',
        [SDM_INPUTS.date]: '',
      })?.data,
    ).toEqual({ kind: 'escalation', severity: 'high', text: 'late handoff' });
    expect(
      parseActionPayload(SDM_VERBS.sdmSend, { kind: 'bookReview', [SDM_INPUTS.date]: '2026-12-32' }),
    ).toBeNull();
  });

  it('knows real calendar dates', () => {
    expect(isIsoDate('2028-02-29')).toBe(true);
    expect(isIsoDate('2026-02-29')).toBe(false);
    expect(isIsoDate('2026-1-01')).toBe(false);
  });
});
