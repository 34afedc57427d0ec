/**
 * Who must use two-factor: administrators and programme leads who log in
 * with a password, when the installation requires it (portal_settings, on
 * in a new installation, off in the demo data: docs/decisions/024-two-factor-required-and-demo-accounts.md).
 * Such an account without two-factor is sent to enrol at its next login:
 * every page leads to Mitt konto until it has. Once enrolled, it cannot turn
 * two-factor off. Everyone else may enrol, and turn it off again.
 */
import type { Db } from "~/db/connection.server";
import type { Grant } from "~/domain/context.server";

/** enabled: the account has it; optional: may enrol; required: must enrol before anything else. */
export type TwoFactorStatus = "enabled" | "optional" | "required";

export interface TwoFactorAccount {
  grants: Pick<Grant, "role">[];
  hasPassword: boolean;
  /** The installation's setting (portal_settings.two_factor_required). */
  requiredHere: boolean;
}

export function twoFactorRequired(account: TwoFactorAccount): boolean {
  return account.requiredHere && account.hasPassword && account.grants.some((g) => g.role === "admin" || g.role === "programme_lead");
}

export function twoFactorStatus(account: TwoFactorAccount & { enabledAt: string | null }): TwoFactorStatus {
  if (account.enabledAt) return "enabled";
  return twoFactorRequired(account) ? "required" : "optional";
}

/** The installation's setting: do privileged password accounts need two-factor? */
export async function twoFactorRequiredHere(db: Db): Promise<boolean> {
  const row = await db.selectFrom("portal_settings").select("two_factor_required").where("id", "=", 1).executeTakeFirst();
  // Without the row (never, after the migration) the safe answer is yes.
  return row ? row.two_factor_required === 1 : true;
}
