/**
 * Who must use two-factor: administrators and programme leads who log in
 * with a password. Such an account that has not enrolled gets a grace period
 * from its first login under the rule, then every page sends it to enrolment
 * (docs/decisions/020-two-factor-and-demo-accounts.md). Once enrolled, it
 * cannot turn two-factor off. Everyone else may enrol, and turn it off again.
 */
import type { Grant } from "~/domain/context.server";

export const TWO_FACTOR_GRACE_DAYS = 14;

/**
 * enabled: the account has it; optional: may enrol; grace: must enrol before
 * its due date; overdue: must enrol before anything else.
 */
export type TwoFactorStatus = "enabled" | "optional" | "grace" | "overdue";

export function twoFactorRequired(grants: Pick<Grant, "role">[], hasPassword: boolean): boolean {
  return hasPassword && grants.some((g) => g.role === "admin" || g.role === "programme_lead");
}

export function twoFactorStatus(
  account: { grants: Pick<Grant, "role">[]; hasPassword: boolean; enabledAt: string | null; dueAt: string | null },
  now = Date.now(),
): TwoFactorStatus {
  if (account.enabledAt) return "enabled";
  if (!twoFactorRequired(account.grants, account.hasPassword)) return "optional";
  return account.dueAt !== null && Date.parse(account.dueAt) <= now ? "overdue" : "grace";
}

/** The due date a privileged account gets at its first login without two-factor. */
export function twoFactorDueFrom(now = Date.now()): string {
  return new Date(now + TWO_FACTOR_GRACE_DAYS * 24 * 60 * 60 * 1000).toISOString();
}
