/**
 * Forms of the privacy feature: a programme's retention period and the
 * confirmation that an anonymisation cannot be undone.
 */
import { z } from "zod";
import type { Funding } from "~/db/schema";

export const RETENTION_LIMITS = { min: 1, max: 600 } as const;

/** ESF documents must be kept for about ten years; other programmes three (docs/decisions/005-retention.md). */
export const DEFAULT_RETENTION_MONTHS: Record<Funding, number> = { esf: 120, regional: 36, own: 36 };

export const PRIVACY_MESSAGES = {
  months: "Fyll i gallringsfristen i hela månader, till exempel 120.",
  monthsRange: `Gallringsfristen ska vara mellan ${RETENTION_LIMITS.min} och ${RETENTION_LIMITS.max} månader.`,
  confirm: "Kryssa i att du förstår att anonymiseringen inte kan ångras.",
} as const;

export const retentionSchema = z.object({
  months: z
    .number({ required_error: PRIVACY_MESSAGES.months, invalid_type_error: PRIVACY_MESSAGES.months })
    .int(PRIVACY_MESSAGES.months)
    .min(RETENTION_LIMITS.min, PRIVACY_MESSAGES.monthsRange)
    .max(RETENTION_LIMITS.max, PRIVACY_MESSAGES.monthsRange),
});

export type RetentionInput = z.infer<typeof retentionSchema>;

export const anonymiseSchema = z.object({
  confirm: z
    .boolean({ required_error: PRIVACY_MESSAGES.confirm, invalid_type_error: PRIVACY_MESSAGES.confirm })
    .refine((v) => v, PRIVACY_MESSAGES.confirm),
});
