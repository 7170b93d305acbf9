/**
 * The CAs a SEFAZ server's certificate is checked against: Node's roots, the ICP-Brasil roots shipped in
 * certs/ (several states' servers use ICP-Brasil SSL certificates, which no browser store holds; see
 * certs/README.md) and the PEM file `OMNIHUB_SEFAZ_CA` names (a proxy's CA, a test server's).
 */
import fs from 'node:fs';
import path from 'node:path';
import tls from 'node:tls';
import { inRepo } from '../../../platform/paths.ts';
import { SefazConfigurationError } from './endpoints.ts';

const certsDir = `${inRepo('src/fiscal/authorizer/sefaz/certs')}/`;

const PEM_BLOCK = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

/** Every certificate block of a PEM text. */
export const pemCertificates = (text: string): string[] => text.match(PEM_BLOCK) ?? [];

/** The ICP-Brasil roots shipped with the application. */
export function icpBrasilRoots(): string[] {
  return fs
    .readdirSync(certsDir)
    .filter((file) => file.endsWith('.pem'))
    .sort()
    .flatMap((file) => pemCertificates(fs.readFileSync(path.join(certsDir, file), 'utf8')));
}

/** The extra CAs of `OMNIHUB_SEFAZ_CA`; a file that cannot be read or holds none is a start-up error. */
export function configuredCa(env: NodeJS.ProcessEnv = process.env): string[] {
  const file = env.OMNIHUB_SEFAZ_CA;
  if (!file) return [];
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new SefazConfigurationError(`OMNIHUB_SEFAZ_CA: cannot read ${file} (${(error as Error).message})`);
  }
  const certificates = pemCertificates(text);
  if (certificates.length === 0)
    throw new SefazConfigurationError(`OMNIHUB_SEFAZ_CA (${file}) holds no PEM certificate`);
  return certificates;
}

export function defaultTrustedCa(env: NodeJS.ProcessEnv = process.env): string[] {
  return [...tls.rootCertificates, ...icpBrasilRoots(), ...configuredCa(env)];
}
