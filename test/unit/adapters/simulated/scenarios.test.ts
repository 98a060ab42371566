import { describe, expect, it } from 'vitest';
import { createRandom } from '../../../../adapters/simulated/random.js';
import { buildContext } from '../../../../adapters/simulated/scenario-kit.js';
import { SCENARIOS } from '../../../../adapters/simulated/scenarios.js';
import type { Customer } from '../../../../bot/domain/customer.js';
import { ACTION_KINDS, DETERMINATIONS, SEVERITIES } from '../../../../bot/domain/enums.js';
import { makeCustomer } from '../../../support/make-customer.js';

// The catalogue is what a newcomer sees first: it must cover every action button, every verdict, and
// only ever name invented assets under .example.

const contoso: Customer = makeCustomer('contoso', 'reader', 'Contoso Ltd');

const played = SCENARIOS.map((s) => {
  const ctx = buildContext(createRandom(5), contoso, s);
  return { s, ctx, actions: s.actions(ctx), alerts: s.alerts.map((a) => a.assets(ctx)) };
});

describe('scenario catalogue', () => {
  it('recommends every guided-response action kind somewhere', () => {
    const kinds = new Set(played.flatMap((p) => p.actions.map((a) => a.kind)));
    expect(ACTION_KINDS.filter((k) => !kinds.has(k))).toEqual([]);
  });

  it('has the well-known Defender XDR incident titles', () => {
    const titles = SCENARIOS.map((s) => s.title);
    for (const t of [
      'Multi-stage incident involving Initial access & Lateral movement on multiple endpoints reported by multiple sources',
      'Suspicious inbox manipulation rule',
      'Ransomware activity on one endpoint',
    ]) {
      expect(titles).toContain(t);
    }
    expect(titles.some((t) => /BEC financial fraud/.test(t))).toBe(true);
    expect(titles.some((t) => /Password spray/.test(t))).toBe(true);
    expect(titles.some((t) => /Suspicious OAuth app consent/.test(t))).toBe(true);
  });

  it('covers every verdict; true positives carry actions and a summary, the others none', () => {
    for (const v of ['truePositive', 'falsePositive', 'informationalExpectedActivity']) {
      expect(SCENARIOS.some((s) => s.verdict === v)).toBe(true);
    }
    for (const p of played) {
      expect(SEVERITIES).toContain(p.s.severity);
      expect(p.s.alerts.length).toBeGreaterThan(0);
      if (p.s.verdict === 'truePositive') {
        expect(p.actions.length).toBeGreaterThan(0);
        expect(p.s.investigationSummary(p.ctx)).not.toBe('');
      } else {
        expect(p.actions).toEqual([]);
      }
    }
  });

  it('keeps at least one determination outside the known list (tolerance is exercised)', () => {
    const unknown = SCENARIOS.filter((s) => !(DETERMINATIONS as readonly string[]).includes(s.determination));
    expect(unknown.map((s) => s.determination)).toContain('clickFix');
  });

  it('excludes some targets and names each kind of target realistically', () => {
    const targets = played.flatMap((p) => p.actions.map((a) => a.target));
    expect(targets.some((t) => t.excluded)).toBe(true);
    for (const t of targets) {
      if (t.type === 'device') expect(t.name).toMatch(/^(WS|LT|SRV|DC)-/);
      if (t.type === 'user') expect(t.name).toMatch(/^[a-z.-]+\d?@contoso\.example$/);
      if (t.type === 'file') {
        expect(t.id).toMatch(/^[0-9a-f]{64}$/);
        expect(t.name).toContain(t.id);
      }
      if (t.type === 'mailMessage' || t.type === 'app') expect(t.name.trim()).not.toBe('');
    }
    expect(new Set(targets.map((t) => t.type))).toEqual(
      new Set(['device', 'user', 'file', 'mailMessage', 'app']),
    );
  });

  it('names only .example domains in every text', () => {
    for (const p of played) {
      const texts = [
        p.s.description(p.ctx),
        p.s.triage(p.ctx),
        p.s.conclusion(p.ctx),
        p.s.investigationSummary(p.ctx),
        ...p.alerts.flat(),
        ...p.actions.map((a) => a.target.name),
      ].join('\n');
      for (const m of texts.matchAll(/@([a-z0-9.-]*[a-z0-9])/g)) expect(m[1]).toMatch(/\.example$/);
    }
  });

  it('uses the MITRE-style alert categories and Defender service sources', () => {
    const alerts = SCENARIOS.flatMap((s) => s.alerts);
    const categories = new Set(alerts.map((a) => a.category));
    for (const c of ['InitialAccess', 'Execution', 'CredentialAccess', 'LateralMovement', 'Exfiltration']) {
      expect(categories).toContain(c);
    }
    const sources = new Set(alerts.map((a) => a.serviceSource));
    for (const s of [
      'microsoftDefenderForEndpoint',
      'microsoftDefenderForOffice365',
      'microsoftDefenderForIdentity',
      'microsoftDefenderForCloudApps',
      'microsoftEntraIdProtection',
    ]) {
      expect(sources).toContain(s);
    }
  });
});
