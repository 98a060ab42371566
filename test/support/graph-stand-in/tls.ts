import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generate } from 'selfsigned';

// A self-signed certificate for 127.0.0.1, made once per test process: the stand-in serves HTTPS with it,
// and clients trust it either through an https.Agent (in-process) or NODE_EXTRA_CA_CERTS (child process).

export interface StandInTls {
  readonly key: string;
  readonly cert: string;
}

let made: Promise<StandInTls> | null = null;

/** The loopback server certificate (its own CA), generated on first use. */
export function standInTls(): Promise<StandInTls> {
  made ??= generate([{ name: 'commonName', value: 'graph-stand-in.test' }], {
    keySize: 2048,
    algorithm: 'sha256',
    notAfterDate: new Date(Date.now() + 7 * 86_400_000),
    extensions: [
      { name: 'basicConstraints', cA: true },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, keyCertSign: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: [
          { type: 7, ip: '127.0.0.1' },
          { type: 2, value: 'localhost' },
        ],
      },
    ],
  }).then((pems) => ({ key: pems.private, cert: pems.cert }));
  return made;
}

/** Writes the certificate where NODE_EXTRA_CA_CERTS can point; returns the file's path. */
export async function writeStandInCa(dir: string): Promise<string> {
  const file = join(dir, 'graph-stand-in-ca.pem');
  writeFileSync(file, (await standInTls()).cert);
  return file;
}

/** A certificate + key for the app registration (client certificate credential), PEM in one file. */
export async function appCertificate(): Promise<{ readonly pem: string; readonly cert: string }> {
  const pems = await generate([{ name: 'commonName', value: 'defender-experts-bot app' }], {
    keySize: 2048,
    algorithm: 'sha256',
  });
  return { pem: `${pems.private}\n${pems.cert}`, cert: pems.cert };
}
