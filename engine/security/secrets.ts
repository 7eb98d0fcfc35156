import { createHash, randomBytes } from 'node:crypto';

/**
 * A new bearer secret — an API token (`forma_…`) or a session cookie (`fs_…`): the prefix and
 * 32 random bytes in base64url (43 characters), so a leaked one is recognisable by its prefix.
 */
export function newSecret(prefix: string): string {
  return prefix + randomBytes(32).toString('base64url');
}

/**
 * What Forma keeps of a bearer secret: its SHA-256 in hex. The secret itself has 256 random
 * bits, so a fast hash is enough (unlike passwords, which are scrypt-hashed), and a copy of the
 * database gives no one a usable credential.
 */
export function secretHash(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}
