import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

export const SECRET_KEY_FILE = 'secret.key';

/**
 * The installation's 32-byte key that seals stored secrets (A1 certificates, their passwords, CSCs).
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
