import type { Customer } from '../../bot/domain/customer.js';
import type { ReadinessSnapshot, ReadinessSource, SecureScoreControl } from '../../bot/sdm/sdm-ports.js';

// The embedded default's readiness assessment and Secure Score: realistic, stable per customer (derived
// from its id), so a check-in in the dev console shows the same gaps every time and tests can rely on them.

function hash(s: string): number {
  let h = 2166136261;
  for (const c of s) h = Math.imul(h ^ c.charCodeAt(0), 16777619) >>> 0;
  return h;
}

type Spec = Omit<SecureScoreControl, 'score'> & { readonly note: string };

// Real Secure Score control names and titles (secureScoreControlProfiles), with Microsoft's ranks.
const CONTROLS: readonly Spec[] = [
  {
    id: 'AdminMFAV2',
    title: 'Ensure multifactor authentication is enabled for all users in administrative roles',
    category: 'Identity',
    maxScore: 10,
    rank: 1,
    userImpact: 'Low',
    implementationCost: 'Low',
    deprecated: false,
    note: 'Start with Global and Security admins; use the break-glass exclusion we agreed.',
  },
  {
    id: 'MFARegistrationV2',
    title: 'Ensure all users can complete multifactor authentication',
    category: 'Identity',
    maxScore: 9,
    rank: 2,
    userImpact: 'Moderate',
    implementationCost: 'Moderate',
    deprecated: false,
    note: 'Roll out by department; finance first (most targeted in your incidents).',
  },
  {
    id: 'BlockLegacyAuthentication',
    title: 'Enable Conditional Access policies to block legacy authentication',
    category: 'Identity',
    maxScore: 8,
    rank: 3,
    userImpact: 'Moderate',
    implementationCost: 'Moderate',
    deprecated: false,
    note: 'Check the sign-in logs for the two line-of-business apps still on basic auth.',
  },
  {
    id: 'scid_2010',
    title: 'Turn on Microsoft Defender Antivirus real-time protection',
    category: 'Device',
    maxScore: 9,
    rank: 4,
    userImpact: 'Low',
    implementationCost: 'Low',
    deprecated: false,
    note: 'Servers in the build farm are excluded on purpose; leave them out.',
  },
  {
    id: 'scid_2090',
    title: 'Turn on tamper protection',
    category: 'Device',
    maxScore: 8,
    rank: 5,
    userImpact: 'Low',
    implementationCost: 'Low',
    deprecated: false,
    note: 'Needed before we can rely on isolation during an attack.',
  },
  {
    id: 'scid_5095',
    title: 'Block credential stealing from the Windows local security authority subsystem',
    category: 'Device',
    maxScore: 7,
    rank: 6,
    userImpact: 'Low',
    implementationCost: 'Low',
    deprecated: false,
    note: 'ASR rule; run in audit mode for a week first.',
  },
  {
    id: 'SelfServicePasswordReset',
    title: 'Enable self-service password reset',
    category: 'Identity',
    maxScore: 1,
    rank: 20,
    userImpact: 'Moderate',
    implementationCost: 'Low',
    deprecated: false,
    note: 'Lowers help-desk load after forced password resets.',
  },
  {
    id: 'OneAdmin',
    title: 'Designate more than one global admin',
    category: 'Identity',
    maxScore: 1,
    rank: 30,
    userImpact: 'Low',
    implementationCost: 'Low',
    deprecated: false,
    note: 'Keep it to fewer than five.',
  },
  {
    id: 'mdo_safelinksforemail',
    title: 'Ensure Safe Links for Office applications is enabled',
    category: 'Apps',
    maxScore: 8,
    rank: 8,
    userImpact: 'Low',
    implementationCost: 'Low',
    deprecated: false,
    note: 'Most of your phishing incidents started with a link in mail.',
  },
  {
    id: 'LegacyControl',
    title: 'A retired control',
    category: 'Apps',
    maxScore: 5,
    rank: 99,
    userImpact: 'Low',
    implementationCost: 'Low',
    deprecated: true,
    note: '',
  },
];

/** The snapshot for one customer: some controls done, some partial, some not started. */
export function simulatedReadiness(customer: Customer): ReadinessSnapshot {
  const h = hash(customer.id);
  const devicesTarget = 200 + (h % 300);
  const identitiesTarget = 150 + ((h >> 8) % 250);
  const controls = CONTROLS.map(({ note, ...c }, i): SecureScoreControl => {
    const bucket = (h >> (i % 24)) % 3;
    const score = bucket === 0 ? c.maxScore : bucket === 1 ? Math.floor(c.maxScore / 2) : 0;
    return { ...c, score, expertsNote: note };
  });
  const current = controls.reduce((n, c) => n + (c.deprecated ? 0 : c.score), 0);
  const max = controls.reduce((n, c) => n + (c.deprecated ? 0 : c.maxScore), 0);
  return {
    devices: { protected: devicesTarget - 10 - (h % 40), target: devicesTarget },
    identities: { protected: identitiesTarget - 5 - ((h >> 4) % 30), target: identitiesTarget },
    actions: [
      {
        id: 'edr-block-mode',
        title: 'Turn on EDR in block mode',
        detail: 'Lets Defender for Endpoint block what a third-party antivirus misses.',
        expertsNote: 'You run a third-party AV on the kiosks: block mode covers them without replacing it.',
      },
      {
        id: 'contacts',
        title: 'Confirm notification contacts for Defender Experts',
        detail: 'Who the experts call for a high-severity handoff out of hours.',
        expertsNote: 'We need a 24×7 phone number, not a shared mailbox.',
      },
    ],
    secureScore: { current, max },
    controls,
  };
}

/** The simulated readiness source (INCIDENT_SOURCE=simulated). */
export function createSimulatedReadinessSource(): ReadinessSource {
  return { read: async (customer) => simulatedReadiness(customer) };
}
