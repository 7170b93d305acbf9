import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fail, ok, type Result } from './errors.ts';

export const SECRET_KEY_FILE = 'secret.key';

/**
 * The installation's 32-byte key that seals stored secrets (A1 certificates, their passwords, CSCs, webhook secrets).
 * OMNIHUB_SECRET_KEY (64 hex digits or base64) wins; otherwise the key lives in `<dataDir>/secret.key`,
 * created on first start, readable by its owner only. Processes sharing a database must share the key.
 */
export function loadSecretKey(dataDir: string, env: NodeJS.ProcessEnv): Buffer {
  const configured = env.OMNIHUB_SECRET_KEY?.trim();
  if (configured) return parseSecretKey(configured, 'OMNIHUB_SECRET_KEY');
  const file = path.join(dataDir, SECRET_KEY_FILE);
  if (fs.existsSync(file)) return parseSecretKey(fs.readFileSync(file, 'utf8').trim(), file);
  fs.mkdirSync(dataDir, { recursive: true });
  const key = randomBytes(32);
  // 'wx': two processes starting together never overwrite each other's key; the loser reads the winner's.
  try {
    fs.writeFileSync(file, `${key.toString('hex')}\n`, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST')
      return parseSecretKey(fs.readFileSync(file, 'utf8').trim(), file);
    throw error;
  }
  return key;
}

export function parseSecretKey(text: string, source: string): Buffer {
  const key = /^[0-9a-fA-F]{64}$/.test(text) ? Buffer.from(text, 'hex') : Buffer.from(text, 'base64');
  if (key.length !== 32)
    throw new Error(`${source} must be 32 bytes, as 64 hex digits or base64 (openssl rand -hex 32)`);
  return key;
}

const SEAL_VERSION = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * Seals a secret (a PKCS#12 blob, its password, a CSC, a webhook's signing secret) for storage: `v1.<base64(iv | tag | ciphertext)>`.
 * The key is the 32-byte master key from configuration; a fresh random IV makes every seal differ.
 */
export function sealSecret(key: Buffer, plaintext: Buffer | string): string {
  assertKey(key);
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return `${SEAL_VERSION}.${Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64')}`;
}

/** Opens a sealed secret; a wrong key or any altered byte is refused by the GCM tag. */
export function openSecret(key: Buffer, sealed: string): Result<Buffer> {
  assertKey(key);
  const [version, payload] = sealed.split('.');
  const raw = payload === undefined ? Buffer.alloc(0) : Buffer.from(payload, 'base64');
  if (version !== SEAL_VERSION || raw.length < IV_BYTES + TAG_BYTES) {
    return fail('invalid', 'SECRET.UNREADABLE', 'The sealed secret is not in a known format.');
  }
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, IV_BYTES));
    decipher.setAuthTag(raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
    return ok(Buffer.concat([decipher.update(raw.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]));
  } catch {
    return fail('invalid', 'SECRET.TAMPERED', 'The sealed secret was altered or sealed with another key.');
  }
}

function assertKey(key: Buffer): void {
  // A wrong-length master key is a configuration fault, not a business failure.
  if (key.length !== 32) throw new Error(`The secret key must be 32 bytes, got ${key.length}`);
}
