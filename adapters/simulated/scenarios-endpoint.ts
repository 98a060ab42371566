import type { Scenario } from './scenario-kit.js';
import { onDevice, onFile, onUser } from './scenario-kit.js';

// Endpoint-centred stories (Defender for Endpoint first): the incidents a Defender Experts customer sees
// most. Titles follow the portal's naming; texts are written the way an MDR analyst writes them.

const MDE = 'microsoftDefenderForEndpoint';
const MDO = 'microsoftDefenderForOffice365';
const MDI = 'microsoftDefenderForIdentity';

/** Catalogue entries whose first evidence is on a device. */
export const ENDPOINT_SCENARIOS: readonly Scenario[] = [
  {
    key: 'multi-stage-lateral',
    title:
      'Multi-stage incident involving Initial access & Lateral movement on multiple endpoints reported by multiple sources',
    severity: 'high',
    description: (c) =>
      `A user clicked a link in a phishing mail on ${c.device.name}; the same credentials were then used to move to ${c.device2.name}.`,
    alerts: [
      {
        title: 'A potentially malicious URL click was detected',
        severity: 'high',
        category: 'InitialAccess',
        serviceSource: MDO,
        detectionSource: MDO,
        assets: (c) => [c.user.upn, c.device.name],
      },
      {
        title: 'Suspicious PowerShell command line',
        severity: 'medium',
        category: 'Execution',
        serviceSource: MDE,
        detectionSource: MDE,
        assets: (c) => [c.device.name, c.user.upn],
      },
      {
        title: 'Suspected overpass-the-hash attack (Kerberos)',
        severity: 'high',
        category: 'LateralMovement',
        serviceSource: MDI,
        detectionSource: MDI,
        assets: (c) => [c.device.name, c.domainController.name, c.user.upn],
      },
      {
        title: 'Suspicious remote activity via WMI',
        severity: 'high',
        category: 'LateralMovement',
        serviceSource: MDE,
        detectionSource: MDE,
        assets: (c) => [c.device2.name, c.user.upn],
      },
    ],
    verdict: 'truePositive',
    determination: 'multiStagedAttack',
    triage: (c) =>
      `Defender Experts are investigating. The URL click on ${c.device.name} was followed by encoded PowerShell and Kerberos ticket abuse; we are scoping every device ${c.user.upn} signed in to.`,
    conclusion: (c) =>
      `True positive, multistaged attack. ${c.user.upn} was phished; the attacker ran a loader on ${c.device.name} and moved laterally to ${c.device2.name} with a forged Kerberos ticket. No evidence of data staging so far.`,
    investigationSummary: (c) =>
      `Phishing link clicked at the start of the day on ${c.device.name}, PowerShell stager launched from the browser, credential material of ${c.user.upn} reused over WMI against ${c.device2.name}. ${c.domainController.name} was queried but shows no persistence. Contain both workstations and the account, then reset.`,
    actions: (c) => [
      onDevice('isolateDevice', c.device),
      onDevice('isolateDevice', c.domainController, true),
      onDevice('collectInvestigationPackage', c.device),
      onDevice('triggerAutomatedInvestigation', c.device2),
      onUser('disableUser', c.user),
      onUser('forcePasswordReset', c.user),
      onUser('revokeSessions', c.user),
    ],
  },
  {
    key: 'ransomware-one-endpoint',
    title: 'Ransomware activity on one endpoint',
    severity: 'high',
    description: (c) =>
      `Files on ${c.device.name} were renamed and encrypted by ${c.file.name}; shadow copies were deleted.`,
    alerts: [
      {
        title: "'Filecoder' ransomware was prevented",
        severity: 'high',
        category: 'Ransomware',
        serviceSource: MDE,
        detectionSource: 'antivirus',
        assets: (c) => [c.device.name, c.file.name],
      },
      {
        title: 'Ransomware behavior detected in the file system',
        severity: 'high',
        category: 'Impact',
        serviceSource: MDE,
        detectionSource: MDE,
        assets: (c) => [c.device.name, c.user.upn],
      },
      {
        title: 'File backups were deleted',
        severity: 'high',
        category: 'Impact',
        serviceSource: MDE,
        detectionSource: MDE,
        assets: (c) => [c.device.name],
      },
    ],
    verdict: 'truePositive',
    determination: 'malware',
    triage: (c) =>
      `Defender Experts are on it. ${c.file.name} started encrypting user files on ${c.device.name}; antivirus blocked part of it. Checking for spread to shares on ${c.server.name}.`,
    conclusion: (c) =>
      `True positive, malware. ${c.file.name} (a Filecoder variant) ran from the Downloads folder of ${c.user.upn} on ${c.device.name}. Encryption stayed local; ${c.server.name} shows only read access.`,
    investigationSummary: (c) =>
      `${c.file.name} arrived via a fake browser update, deleted shadow copies with vssadmin and encrypted about 1,200 files on ${c.device.name}. Contain the device, quarantine the binary everywhere, collect a package for forensics and restrict app execution until it is reimaged. ${c.server.name} is excluded from isolation: check its shares manually.`,
    actions: (c) => [
      onDevice('isolateDevice', c.device),
      onFile('stopAndQuarantineFile', c.file),
      onDevice('collectInvestigationPackage', c.device),
      onDevice('runAntivirusScan', c.device),
      onDevice('restrictAppExecution', c.device),
      onDevice('isolateDevice', c.server, true),
    ],
    fileNames: ['locker.exe', 'syswin64.exe', 'winupdate_svc.exe'],
  },
  {
    key: 'attack-disruption',
    title: 'Hands-on-keyboard attack on one endpoint contained by automatic attack disruption',
    severity: 'high',
    description: (c) =>
      `A Cobalt Strike beacon on ${c.device.name} was contained automatically before it spread.`,
    alerts: [
      {
        title: 'Cobalt Strike command and control detected',
        severity: 'high',
        category: 'CommandAndControl',
        serviceSource: MDE,
        detectionSource: MDE,
        assets: (c) => [c.device.name, c.file.name],
      },
      {
        title: 'Suspicious process injection observed',
        severity: 'medium',
        category: 'DefenseEvasion',
        serviceSource: MDE,
        detectionSource: MDE,
        assets: (c) => [c.device.name],
      },
      {
        title: 'Device contained by automatic attack disruption',
        severity: 'high',
        category: 'SuspiciousActivity',
        serviceSource: 'microsoft365Defender',
        detectionSource: 'microsoft365Defender',
        assets: (c) => [c.device.name],
      },
    ],
    verdict: 'truePositive',
    determination: 'malware',
    triage: (c) =>
      `Defender Experts are investigating. Attack disruption already contained ${c.device.name}; we are confirming the beacon is gone before recommending release.`,
    conclusion: (c) =>
      `True positive, malware. ${c.file.name} was side-loaded by a signed binary and beaconed to ${c.ip}. Containment worked: no other device talked to that address.`,
    investigationSummary: (c) =>
      `Beacon ${c.file.name} injected into rundll32 on ${c.device.name} and was contained within minutes. After quarantine and a full scan the device can be released and the app restriction removed.`,
    actions: (c) => [
      onFile('stopAndQuarantineFile', c.file),
      onDevice('runAntivirusScan', c.device),
      onDevice('collectInvestigationPackage', c.device),
      onDevice('releaseFromIsolation', c.device),
      onDevice('unrestrictAppExecution', c.device),
    ],
    fileNames: ['msedge_elf.dll', 'version.dll', 'libcurl.dll'],
  },
  {
    key: 'clickfix',
    title: 'Suspicious command pasted into the Run dialog (ClickFix) on one endpoint',
    severity: 'medium',
    description: (c) =>
      `${c.user.displayName} followed a fake CAPTCHA page and pasted a PowerShell command on ${c.device.name}.`,
    alerts: [
      {
        title: 'Suspicious command in RunMRU registry',
        severity: 'medium',
        category: 'Execution',
        serviceSource: MDE,
        detectionSource: MDE,
        assets: (c) => [c.device.name, c.user.upn],
      },
      {
        title: 'Suspicious PowerShell download and execution',
        severity: 'high',
        category: 'Execution',
        serviceSource: MDE,
        detectionSource: MDE,
        assets: (c) => [c.device.name, c.file.name],
      },
      {
        title: 'Possible theft of browser credentials',
        severity: 'high',
        category: 'CredentialAccess',
        serviceSource: MDE,
        detectionSource: MDE,
        assets: (c) => [c.device.name, c.user.upn],
      },
    ],
    verdict: 'truePositive',
    // Not in the portal's list yet: kept as text by the tolerant parser (the portal's list keeps growing).
    determination: 'clickFix',
    triage: (c) =>
      `Defender Experts are looking at ${c.device.name}: the RunMRU key holds an encoded PowerShell one-liner pasted by ${c.user.upn}.`,
    conclusion: (c) =>
      `True positive, ClickFix social engineering. The command downloaded ${c.file.name}, an info-stealer that read browser credential stores of ${c.user.upn}. Treat every saved password on that profile as exposed.`,
    investigationSummary: (c) =>
      `Fake CAPTCHA on a compromised site told ${c.user.displayName} to press Win+R and paste. ${c.file.name} ran for about four minutes and exfiltrated browser data to ${c.ip}. Quarantine the file, isolate and scan the device, reset the password and revoke sessions.`,
    actions: (c) => [
      onFile('stopAndQuarantineFile', c.file),
      onDevice('isolateDevice', c.device),
      onDevice('runAntivirusScan', c.device),
      onUser('forcePasswordReset', c.user),
      onUser('revokeSessions', c.user),
    ],
    fileNames: ['captcha_verify.ps1', 'cl.exe', 'veriff.msi'],
  },
  {
    key: 'pentest-tool',
    title: 'Credential theft activity on one endpoint involving a security testing tool',
    severity: 'medium',
    description: (c) => `Mimikatz-like memory reads of LSASS on ${c.device2.name}.`,
    alerts: [
      {
        title: 'Mimikatz credential theft tool',
        severity: 'high',
        category: 'CredentialAccess',
        serviceSource: MDE,
        detectionSource: 'antivirus',
        assets: (c) => [c.device2.name, c.file.name],
      },
      {
        title: 'Sensitive credential memory read',
        severity: 'medium',
        category: 'CredentialAccess',
        serviceSource: MDE,
        detectionSource: MDE,
        assets: (c) => [c.device2.name, c.user2.upn],
      },
    ],
    verdict: 'informationalExpectedActivity',
    determination: 'securityTesting',
    triage: (c) =>
      `Defender Experts are checking whether the LSASS access on ${c.device2.name} matches the red-team engagement registered for ${c.customerName}.`,
    conclusion: (c) =>
      `Informational, expected activity: security testing. The activity came from the approved penetration-test account ${c.user2.upn} inside the announced window. No action needed; tell us if the test scope changes.`,
    investigationSummary: () => '',
    actions: () => [],
    fileNames: ['mimikatz.exe', 'pwdump.exe'],
  },
  {
    key: 'lob-powershell',
    title: 'Suspicious PowerShell command line on one endpoint',
    severity: 'low',
    description: (c) => `Encoded PowerShell started by a scheduled task on ${c.device.name}.`,
    alerts: [
      {
        title: 'Suspicious PowerShell command line',
        severity: 'low',
        category: 'Execution',
        serviceSource: MDE,
        detectionSource: MDE,
        assets: (c) => [c.device.name],
      },
      {
        title: 'Suspicious scheduled task',
        severity: 'low',
        category: 'Persistence',
        serviceSource: MDE,
        detectionSource: MDE,
        assets: (c) => [c.device.name],
      },
    ],
    verdict: 'falsePositive',
    determination: 'lineOfBusinessApplication',
    triage: (c) =>
      `Defender Experts are reviewing the scheduled task on ${c.device.name} and where its script comes from.`,
    conclusion: (c) =>
      `False positive, line-of-business application. The encoded command is the ${c.customerName} inventory script deployed through Intune; it only reads WMI. Consider signing the script so it stops alerting.`,
    investigationSummary: () => '',
    actions: () => [],
  },
];
