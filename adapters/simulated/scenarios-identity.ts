import type { Scenario } from './scenario-kit.js';
import { onApp, onMail, onUser } from './scenario-kit.js';

// Identity, mail and cloud-app stories (Entra ID Protection, Defender for Office 365, Defender for Cloud
// Apps, Defender for Identity): business email compromise and account takeover, the other half of MDR.

const MDO = 'microsoftDefenderForOffice365';
const MDI = 'microsoftDefenderForIdentity';
const MDCA = 'microsoftDefenderForCloudApps';
const ENTRA = 'microsoftEntraIdProtection';
const ENTRA_DETECTION = 'azureAdIdentityProtection';

/** Catalogue entries whose first evidence is an account, a mailbox or an app. */
export const IDENTITY_SCENARIOS: readonly Scenario[] = [
  {
    key: 'inbox-rule',
    title: 'Suspicious inbox manipulation rule',
    severity: 'medium',
    description: (c) =>
      `A new inbox rule in the mailbox of ${c.user.upn} moves mail containing "invoice" to RSS Feeds.`,
    alerts: [
      {
        title: 'Suspicious inbox manipulation rule',
        severity: 'medium',
        category: 'DefenseEvasion',
        serviceSource: MDCA,
        detectionSource: 'cloudAppSecurity',
        assets: (c) => [c.user.upn],
      },
      {
        title: 'Atypical travel',
        severity: 'medium',
        category: 'InitialAccess',
        serviceSource: ENTRA,
        detectionSource: ENTRA_DETECTION,
        assets: (c) => [c.user.upn, c.ip],
      },
    ],
    verdict: 'truePositive',
    determination: 'compromisedAccount',
    triage: (c) =>
      `Defender Experts are investigating. The rule on ${c.user.upn} was created from ${c.ip} (${c.country}) minutes after a sign-in that does not match the user's usual locations.`,
    conclusion: (c) =>
      `True positive, compromised account. An attacker signed in to ${c.user.upn} with a stolen session token and hid replies about payments with an inbox rule. No fraudulent payment request has been sent yet.`,
    investigationSummary: (c) =>
      `Token replay from ${c.ip}, an inbox rule named "." hiding finance mail, phishing mail "${c.mail.subject}" still in the mailbox. Reset the password, revoke sessions, remove the phishing mail and delete the rule.`,
    actions: (c) => [
      onUser('forcePasswordReset', c.user),
      onUser('revokeSessions', c.user),
      onMail('softDeleteEmail', c.mail),
    ],
    mailSubjects: ['Updated remittance details', 'Your mailbox storage is full'],
  },
  {
    key: 'bec-fraud',
    title: 'BEC financial fraud attack involving one user',
    severity: 'high',
    description: (c) =>
      `${c.user.upn} sent a payment-change request to ${c.user2.upn} from a session the user did not start.`,
    alerts: [
      {
        title: 'BEC financial fraud',
        severity: 'high',
        category: 'InitialAccess',
        serviceSource: MDO,
        detectionSource: MDO,
        assets: (c) => [c.user.upn, c.user2.upn],
      },
      {
        title: 'Suspicious email sending patterns detected',
        severity: 'medium',
        category: 'InitialAccess',
        serviceSource: MDO,
        detectionSource: MDO,
        assets: (c) => [c.user.upn],
      },
      {
        title: 'Suspicious inbox forwarding rule',
        severity: 'medium',
        category: 'Exfiltration',
        serviceSource: MDCA,
        detectionSource: 'cloudAppSecurity',
        assets: (c) => [c.user.upn],
      },
    ],
    verdict: 'truePositive',
    determination: 'compromisedAccount',
    triage: (c) =>
      `Defender Experts are investigating a payment-change mail sent from ${c.user.upn} to ${c.user2.upn}. Please hold any bank-detail changes requested by mail until we conclude.`,
    conclusion: (c) =>
      `True positive, compromised account used for BEC financial fraud. The attacker forwarded finance threads to an external address and asked ${c.user2.upn} to change the supplier's bank account. Contact the supplier by phone before paying.`,
    investigationSummary: (c) =>
      `AiTM phishing captured the session of ${c.user.upn}; a forwarding rule sent finance threads out, and the fraud mail "${c.mail.subject}" reached ${c.user2.upn}. Disable the account, revoke sessions, reset the password and remove the fraud mail.`,
    actions: (c) => [
      onUser('disableUser', c.user),
      onUser('revokeSessions', c.user),
      onUser('forcePasswordReset', c.user),
      onMail('softDeleteEmail', c.mail),
    ],
    mailSubjects: ['RE: Updated bank details for Q4 invoices', 'Urgent: supplier account change'],
  },
  {
    key: 'password-spray',
    title: 'Password spray attack involving multiple users',
    severity: 'high',
    description: (c) => `Sign-in attempts against 140 accounts of ${c.domain} from ${c.ip}; one succeeded.`,
    alerts: [
      {
        title: 'Password spray',
        severity: 'high',
        category: 'CredentialAccess',
        serviceSource: ENTRA,
        detectionSource: ENTRA_DETECTION,
        assets: (c) => [c.user.upn, c.ip],
      },
      {
        title: 'Suspected brute-force attack (LDAP)',
        severity: 'medium',
        category: 'CredentialAccess',
        serviceSource: MDI,
        detectionSource: MDI,
        assets: (c) => [c.domainController.name, c.user.upn],
      },
      {
        title: 'Unfamiliar sign-in properties',
        severity: 'medium',
        category: 'InitialAccess',
        serviceSource: ENTRA,
        detectionSource: ENTRA_DETECTION,
        assets: (c) => [c.user.upn, c.ip],
      },
    ],
    verdict: 'truePositive',
    determination: 'compromisedAccount',
    triage: (c) =>
      `Defender Experts are investigating a spray from ${c.ip}. One sign-in of ${c.user.upn} succeeded with a legacy protocol; we are checking what the session touched.`,
    conclusion: (c) =>
      `True positive, compromised account. ${c.user.upn} used a weak password and legacy authentication, so MFA did not apply. The attacker read mail for about 20 minutes.`,
    investigationSummary: (c) =>
      `Low-and-slow spray from ${c.ip} over two days; one success on ${c.user.upn}. Reset and revoke for that user. ${c.breakGlass.upn} was also targeted but is excluded from automated response: rotate its password by hand and confirm it is still unused.`,
    actions: (c) => [
      onUser('forcePasswordReset', c.user),
      onUser('revokeSessions', c.user),
      onUser('disableUser', c.breakGlass, true),
    ],
  },
  {
    key: 'oauth-consent',
    title: 'Suspicious OAuth app consent involving one user',
    severity: 'high',
    description: (c) =>
      `${c.user.upn} granted Mail.Read and offline_access to "${c.app.name}", an app registered last week.`,
    alerts: [
      {
        title: 'Suspicious OAuth app consent',
        severity: 'high',
        category: 'InitialAccess',
        serviceSource: MDCA,
        detectionSource: 'cloudAppSecurity',
        assets: (c) => [c.user.upn, c.app.name],
      },
      {
        title: 'App with suspicious OAuth scope made graph calls to read email',
        severity: 'high',
        category: 'Collection',
        serviceSource: 'microsoftAppGovernance',
        detectionSource: 'appGovernanceDetection',
        assets: (c) => [c.app.name],
      },
    ],
    verdict: 'truePositive',
    determination: 'phishing',
    triage: (c) =>
      `Defender Experts are investigating consent granted by ${c.user.upn} to "${c.app.name}". The app already read mail through Graph.`,
    conclusion: (c) =>
      `True positive, consent phishing. "${c.app.name}" is attacker-controlled; it read about 900 messages of ${c.user.upn}. No other user consented.`,
    investigationSummary: (c) =>
      `Consent phishing mail "${c.mail.subject}" led ${c.user.upn} to grant mail access to "${c.app.name}". Block the app tenant-wide, revoke the user's sessions and tokens, and remove the phishing mail.`,
    actions: (c) => [
      onApp('blockOAuthApp', c.app),
      onUser('revokeSessions', c.user),
      onMail('softDeleteEmail', c.mail),
    ],
    appNames: ['Mail Backup Pro', 'DocuSign Viewer Plus', 'Teams Meeting Notes AI'],
    mailSubjects: ['Shared with you: Q4 budget.xlsx', 'Review and sign: NDA'],
  },
  {
    key: 'atypical-travel',
    title: 'Atypical travel involving one user',
    severity: 'low',
    description: (c) => `Sign-ins of ${c.user.upn} from two countries within an hour.`,
    alerts: [
      {
        title: 'Atypical travel',
        severity: 'low',
        category: 'InitialAccess',
        serviceSource: ENTRA,
        detectionSource: ENTRA_DETECTION,
        assets: (c) => [c.user.upn, c.ip],
      },
    ],
    verdict: 'falsePositive',
    determination: 'notMalicious',
    triage: (c) => `Defender Experts are comparing the two sign-in locations of ${c.user.upn}.`,
    conclusion: (c) =>
      `False positive, not malicious. The second location (${c.ip}) is the egress of ${c.customerName}'s own VPN provider; same device, same MFA method.`,
    investigationSummary: () => '',
    actions: () => [],
  },
  {
    key: 'anonymous-ip',
    title: 'Sign-in from an anonymous IP address involving one user',
    severity: 'medium',
    description: (c) => `${c.user2.upn} signed in through a Tor exit node (${c.ip}).`,
    alerts: [
      {
        title: 'Anonymous IP address',
        severity: 'medium',
        category: 'InitialAccess',
        serviceSource: ENTRA,
        detectionSource: ENTRA_DETECTION,
        assets: (c) => [c.user2.upn, c.ip],
      },
    ],
    verdict: 'informationalExpectedActivity',
    determination: 'confirmedUserActivity',
    triage: (c) =>
      `Defender Experts are checking the anonymous sign-in of ${c.user2.upn} and what followed it.`,
    conclusion: (c) =>
      `Informational, expected activity: confirmed user activity. ${c.user2.displayName} confirmed using a privacy browser while travelling; the session only opened Outlook on the web. Consider a Conditional Access policy that blocks anonymous IPs.`,
    investigationSummary: () => '',
    actions: () => [],
  },
  {
    key: 'mass-download',
    title: 'Mass download by a single user',
    severity: 'medium',
    description: (c) => `${c.user.upn} downloaded about 3,400 files from SharePoint in an hour.`,
    alerts: [
      {
        title: 'Mass download by a single user',
        severity: 'medium',
        category: 'Exfiltration',
        serviceSource: MDCA,
        detectionSource: 'cloudAppSecurity',
        assets: (c) => [c.user.upn, c.device.name],
      },
    ],
    verdict: 'informationalExpectedActivity',
    determination: 'confirmedUserActivity',
    triage: (c) =>
      `Defender Experts are checking the download volume of ${c.user.upn} against their usual pattern.`,
    conclusion: (c) =>
      `Informational, expected activity: confirmed user activity. ${c.user.displayName} synced the department library to a new laptop (${c.device.name}) from the office network. Their manager confirmed the device refresh.`,
    investigationSummary: () => '',
    actions: () => [],
  },
];
