import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import tls from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireTool } from '../../../test/fiscal-tools.ts';
import { loadPkcs12 } from './certificate.ts';

/**
 * Many stores' A1 files were exported years ago by Windows or an old OpenSSL: RC2-40 encrypted
 * certificate bags, 3DES key bags, a SHA-1 MAC, and the ICP-Brasil chain beside the store's certificate.
 * Node's OpenSSL 3 refuses RC2 without the legacy provider; node-forge reads them, and Node's TLS takes
 * the PEM key and certificate forge hands over.
 */
let dir: string;
let legacyPfx: Buffer;

beforeAll(() => {
  const openssl = requireTool('openssl');
  dir = mkdtempSync(join(tmpdir(), 'omnihub-legacy-pfx-'));
  const run = (...args: string[]) => execFileSync(openssl, args, { cwd: dir, stdio: 'pipe' });
  run(
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    'ca.key',
    '-out',
    'ca.pem',
    '-days',
    '30',
    '-subj',
    '/C=BR/CN=Test AC',
  );
  run(
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    'store.key',
    '-out',
    'store.pem',
    '-days',
    '30',
    '-subj',
    '/C=BR/O=ICP-Brasil/CN=LOJA LEGADA LTDA:12345678000195',
  );
  // -legacy: RC2-40-CBC for the certificates, 3DES for the key, SHA-1 MAC (OpenSSL 1.x's defaults).
  run(
    'pkcs12',
    '-export',
    '-legacy',
    '-inkey',
    'store.key',
    '-in',
    'store.pem',
    '-certfile',
    'ca.pem',
    '-passout',
    'pass:senha-antiga',
    '-out',
    'legacy.pfx',
  );
  legacyPfx = readFileSync(join(dir, 'legacy.pfx'));
}, 60_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('a legacy A1 file (openssl pkcs12 -export -legacy)', () => {
  it('is RC2-40 encrypted, as the stores’ old files are', () => {
    // openssl prints the bags' algorithms on stderr.
    const info = spawnSync(
      requireTool('openssl'),
      [
        'pkcs12',
        '-info',
        '-noout',
        '-legacy',
        '-passin',
        'pass:senha-antiga',
        '-in',
        join(dir, 'legacy.pfx'),
      ],
      { encoding: 'utf8' },
    );
    expect(info.stderr).toContain('pbeWithSHA1And40BitRC2-CBC');
  });

  it('opens with its password, choosing the store’s certificate among the chain', () => {
    const loaded = loadPkcs12(legacyPfx, 'senha-antiga');
    if (!loaded.ok) throw new Error(loaded.failure.detail);
    expect(loaded.value.subject).toBe('CN=LOJA LEGADA LTDA:12345678000195,O=ICP-Brasil,C=BR');
    const pem = (text: string) => text.replace(/\r\n/g, '\n').trim();
    expect(pem(loaded.value.certificatePem)).toBe(pem(readFileSync(join(dir, 'store.pem'), 'utf8')));
  });

  it('gives Node’s TLS a key and certificate it takes for a client certificate', () => {
    const loaded = loadPkcs12(legacyPfx, 'senha-antiga');
    if (!loaded.ok) throw new Error(loaded.failure.detail);
    expect(() =>
      tls.createSecureContext({ key: loaded.value.privateKeyPem, cert: loaded.value.certificatePem }),
    ).not.toThrow();
  });

  it('refuses a wrong password with a failure value', () => {
    expect(loadPkcs12(legacyPfx, 'senha-nova')).toMatchObject({
      ok: false,
      failure: { code: 'FISCAL.CERTIFICATE_PASSWORD' },
    });
  });
});
