import { hash, verify } from "@node-rs/argon2";

// OWASP's first Argon2id configuration: m=19 MiB, t=2, p=1.
const ARGON2ID = { algorithm: 2 as const, memoryCost: 19456, timeCost: 2, parallelism: 1 };

export function hashPassword(password: string): Promise<string> {
  return hash(password, ARGON2ID);
}

// Verified against when the e-mail is unknown, so a wrong address takes as
// long as a wrong password and timing does not reveal which accounts exist.
const DUMMY_HASH =
  "$argon2id$v=19$m=19456,t=2,p=1$pWUBw3BwvwCe6yUaz1uVFA$ICED5KHI9jf4eMpAibYjclvsvS3swgapvLP02z0cuDI";

export async function verifyPassword(storedHash: string | null, password: string): Promise<boolean> {
  try {
    return await verify(storedHash ?? DUMMY_HASH, password);
  } catch {
    return false;
  }
}
