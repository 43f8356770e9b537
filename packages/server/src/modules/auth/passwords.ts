import argon2 from 'argon2';

// OWASP's argon2id floor (19 MiB, 2 passes): about 30 ms here, so logins stay quick on 2 cores.
const OPTIONS = { type: argon2.argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

/** Hashes a password with argon2id. */
export function hashPassword(password: string): Promise<string> {
  return argon2.hash(password, OPTIONS);
}

let dummyHash: Promise<string> | undefined;

/**
 * Verifies a password. With no hash (unknown user) it verifies against a dummy hash so that
 * unknown and known usernames take the same time.
 */
export async function verifyPassword(hash: string | undefined, password: string): Promise<boolean> {
  dummyHash ??= hashPassword('dummy-password-for-timing-0');
  const ok = await argon2.verify(hash ?? (await dummyHash), password).catch(() => false);
  return hash !== undefined && ok;
}
