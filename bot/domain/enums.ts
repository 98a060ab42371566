import { type Tolerant, tolerantParser } from './tolerant.js';

// Graph security API v1.0 enums with the portal's display vocabulary.

export const INCIDENT_STATUSES = [
  'active',
  'inProgress',
  'awaitingAction',
  'resolved',
  'redirected',
] as const;
export type KnownIncidentStatus = (typeof INCIDENT_STATUSES)[number];
export type IncidentStatus = Tolerant<KnownIncidentStatus>;
export const parseIncidentStatus = tolerantParser(INCIDENT_STATUSES, {
  'in progress': 'inProgress',
  'awaiting customer action': 'awaitingAction',
  'awaiting action': 'awaitingAction',
});
export const STATUS_LABELS: Record<KnownIncidentStatus, string> = {
  active: 'Active',
  inProgress: 'In progress',
  awaitingAction: 'Awaiting customer action',
  resolved: 'Resolved',
  redirected: 'Redirected',
};

export const SEVERITIES = ['informational', 'low', 'medium', 'high'] as const;
export type KnownSeverity = (typeof SEVERITIES)[number];
export type Severity = Tolerant<KnownSeverity>;
export const parseSeverity = tolerantParser(SEVERITIES);
export const SEVERITY_LABELS: Record<KnownSeverity, string> = {
  informational: 'Informational',
  low: 'Low',
  medium: 'Medium',
  high: 'High',
};

export const CLASSIFICATIONS = [
  'unknown',
  'falsePositive',
  'truePositive',
  'informationalExpectedActivity',
] as const;
export type KnownClassification = (typeof CLASSIFICATIONS)[number];
export type Classification = Tolerant<KnownClassification>;
export const parseClassification = tolerantParser(CLASSIFICATIONS, {
  'Informational, expected activity': 'informationalExpectedActivity',
  informational: 'informationalExpectedActivity',
  '': 'unknown',
  'not set': 'unknown',
});
export const CLASSIFICATION_LABELS: Record<KnownClassification, string> = {
  unknown: 'Not set',
  falsePositive: 'False positive',
  truePositive: 'True positive',
  informationalExpectedActivity: 'Informational, expected activity',
};

// Determination is an evolving enum whose spellings differ between doc pages: aliases cover the
// variants we have seen; anything else stays as text.
export const DETERMINATIONS = [
  'unknown',
  'apt',
  'malware',
  'securityPersonnel',
  'securityTesting',
  'unwantedSoftware',
  'other',
  'multiStagedAttack',
  'compromisedAccount',
  'phishing',
  'maliciousUserActivity',
  'notMalicious',
  'notEnoughDataToValidate',
  'confirmedUserActivity',
  'lineOfBusinessApplication',
  'clean',
] as const;
export type KnownDetermination = (typeof DETERMINATIONS)[number];
export type Determination = Tolerant<KnownDetermination>;
export const parseDetermination = tolerantParser(DETERMINATIONS, {
  compromisedUser: 'compromisedAccount',
  multistagedAttack: 'multiStagedAttack',
  'multi-staged attack': 'multiStagedAttack',
  'line of business application': 'lineOfBusinessApplication',
  insufficientData: 'notEnoughDataToValidate',
  '': 'unknown',
  'not set': 'unknown',
});
export const DETERMINATION_LABELS: Record<KnownDetermination, string> = {
  unknown: 'Not set',
  apt: 'Advanced persistent threat',
  malware: 'Malware',
  securityPersonnel: 'Security personnel',
  securityTesting: 'Security testing',
  unwantedSoftware: 'Unwanted software',
  other: 'Other',
  multiStagedAttack: 'Multistaged attack',
  compromisedAccount: 'Compromised account',
  phishing: 'Phishing',
  maliciousUserActivity: 'Malicious user activity',
  notMalicious: 'Not malicious',
  notEnoughDataToValidate: 'Not enough data to validate',
  confirmedUserActivity: 'Confirmed user activity',
  lineOfBusinessApplication: 'Line-of-business application',
  clean: 'Clean',
};

/** Guided-response action kinds the Defender Experts service recommends. */
export const ACTION_KINDS = [
  'collectInvestigationPackage',
  'runAntivirusScan',
  'triggerAutomatedInvestigation',
  'stopAndQuarantineFile',
  'isolateDevice',
  'releaseFromIsolation',
  'restrictAppExecution',
  'unrestrictAppExecution',
  'disableUser',
  'forcePasswordReset',
  'revokeSessions',
  'softDeleteEmail',
  'blockOAuthApp',
] as const;
export type KnownActionKind = (typeof ACTION_KINDS)[number];
export type ActionKind = Tolerant<KnownActionKind>;
export const parseActionKind = tolerantParser(ACTION_KINDS);
export const ACTION_KIND_LABELS: Record<KnownActionKind, string> = {
  collectInvestigationPackage: 'Collect investigation package',
  runAntivirusScan: 'Run antivirus scan',
  triggerAutomatedInvestigation: 'Trigger automated investigation',
  stopAndQuarantineFile: 'Stop and quarantine file',
  isolateDevice: 'Isolate device',
  releaseFromIsolation: 'Release from isolation',
  restrictAppExecution: 'Restrict app execution',
  unrestrictAppExecution: 'Remove app restriction',
  disableUser: 'Disable user',
  forcePasswordReset: 'Force password reset',
  revokeSessions: 'Revoke sessions',
  softDeleteEmail: 'Soft-delete email',
  blockOAuthApp: 'Block OAuth app',
};

export const ACTION_STATES = ['pending', 'inProgress', 'completed', 'failed', 'skipped'] as const;
export type KnownActionState = (typeof ACTION_STATES)[number];
export type ActionState = Tolerant<KnownActionState>;
export const parseActionState = tolerantParser(ACTION_STATES);
export const ACTION_STATE_LABELS: Record<KnownActionState, string> = {
  pending: 'Pending',
  inProgress: 'In progress',
  completed: 'Completed',
  failed: 'Failed',
  skipped: 'Skipped',
};

export const TARGET_TYPES = ['device', 'file', 'user', 'mailMessage', 'app'] as const;
export type TargetType = (typeof TARGET_TYPES)[number];
