/**
 * Forms for programmes, cohorts, seats and nominations. Shared by the browser
 * (Conform validates before sending) and the server (which validates again).
 */
import { z } from "zod";
import { MAX_ROW_NUMBER } from "./ids";

const DATE = /^\d{4}-\d{2}-\d{2}$/;

const isRealDate = (value: string) => {
  const d = new Date(`${value}T12:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === value;
};

const date = (missing: string) =>
  z
    .string({ required_error: missing })
    .trim()
    .regex(DATE, "Skriv datumet som ÅÅÅÅ-MM-DD.")
    .refine(isRealDate, "Datumet finns inte i kalendern.");

const id = (missing: string) =>
  z.number({ required_error: missing, invalid_type_error: missing }).int(missing).positive(missing).max(MAX_ROW_NUMBER, missing);

const seatCount = z
  .number({ required_error: "Fyll i antal platser.", invalid_type_error: "Skriv antalet platser som ett heltal." })
  .int("Skriv antalet platser som ett heltal.")
  .min(0, "Antalet platser kan inte vara negativt.")
  .max(1000, "Högst 1 000 platser.");

export const programmeKinds = ["ledarutveckling", "trainee", "internutbildning"] as const;
export const fundings = ["esf", "regional", "own"] as const;

export const programmeSchema = z
  .object({
    name: z
      .string({ required_error: "Fyll i programmets namn." })
      .trim()
      .min(2, "Namnet är för kort.")
      .max(200, "Högst 200 tecken."),
    kind: z.enum(programmeKinds, { errorMap: () => ({ message: "Välj typ av program." }) }),
    funding: z.enum(fundings, { errorMap: () => ({ message: "Välj finansiering." }) }),
    ownerMunicipalityId: id("Välj ägande kommun."),
    partnerMunicipalityIds: z.array(id("Okänd kommun.")).max(300),
    esfProjectNumber: z.string().trim().max(50, "Högst 50 tecken.").optional(),
    startsOn: date("Fyll i startdatum."),
    endsOn: date("Fyll i slutdatum."),
    description: z.string().trim().max(5000, "Högst 5 000 tecken.").optional(),
    /** The version the edit form loaded; absent when creating. */
    version: z
      .number({ invalid_type_error: "Formuläret kunde inte läsas. Ladda om sidan och försök igen." })
      .int("Formuläret kunde inte läsas. Ladda om sidan och försök igen.")
      .positive("Formuläret kunde inte läsas. Ladda om sidan och försök igen.")
      .max(MAX_ROW_NUMBER, "Formuläret kunde inte läsas. Ladda om sidan och försök igen.")
      .optional(),
  })
  .superRefine((value, ctx) => {
    if (value.endsOn < value.startsOn) {
      ctx.addIssue({ code: "custom", path: ["endsOn"], message: "Slutdatum kan inte vara före startdatum." });
    }
    if (value.esfProjectNumber && value.funding !== "esf") {
      ctx.addIssue({ code: "custom", path: ["esfProjectNumber"], message: "Projektnummer anges bara för ESF-finansierade program." });
    }
  });
export type ProgrammeInput = z.infer<typeof programmeSchema>;

export const cohortSchema = z
  .object({
    name: z
      .string({ required_error: "Fyll i omgångens namn." })
      .trim()
      .min(1, "Fyll i omgångens namn.")
      .max(100, "Högst 100 tecken."),
    startsOn: date("Fyll i startdatum."),
    endsOn: date("Fyll i slutdatum."),
    capacity: z
      .number({ required_error: "Fyll i antal platser totalt.", invalid_type_error: "Skriv antalet som ett heltal." })
      .int("Skriv antalet som ett heltal.")
      .min(1, "Omgången behöver minst en plats.")
      .max(1000, "Högst 1 000 platser."),
    seats: z.array(z.object({ municipalityId: id("Okänd kommun."), seats: seatCount })).max(300),
  })
  .superRefine((value, ctx) => {
    if (value.endsOn < value.startsOn) {
      ctx.addIssue({ code: "custom", path: ["endsOn"], message: "Slutdatum kan inte vara före startdatum." });
    }
    const total = value.seats.reduce((sum, s) => sum + s.seats, 0);
    if (total > value.capacity) {
      ctx.addIssue({
        code: "custom",
        path: ["capacity"],
        message: `Kommunernas platser (${total}) är fler än omgångens platser totalt (${value.capacity}).`,
      });
    }
    const ids = value.seats.map((s) => s.municipalityId);
    if (new Set(ids).size !== ids.length) {
      ctx.addIssue({ code: "custom", path: ["seats"], message: "En kommun finns med flera gånger." });
    }
  });
export type CohortInput = z.infer<typeof cohortSchema>;

export const seatTransferSchema = z
  .object({
    fromMunicipalityId: id("Välj kommunen som lämnar platser."),
    toMunicipalityId: id("Välj kommunen som får platserna."),
    seats: z
      .number({ required_error: "Fyll i antal platser.", invalid_type_error: "Skriv antalet som ett heltal." })
      .int("Skriv antalet som ett heltal.")
      .min(1, "Flytta minst en plats.")
      .max(1000, "Högst 1 000 platser."),
  })
  .refine((v) => v.fromMunicipalityId !== v.toMunicipalityId, {
    path: ["toMunicipalityId"],
    message: "Välj en annan kommun än den som lämnar platserna.",
  });
export type SeatTransferInput = z.infer<typeof seatTransferSchema>;

/** The most participants one action nominates (the largest real cohort has 40 seats per municipality). */
export const MAX_NOMINATIONS_AT_ONCE = 200;

const nominees = z
  .array(id("Formuläret kunde inte läsas. Ladda om sidan och välj igen."))
  .min(1, "Välj minst en deltagare att anmäla.")
  .max(MAX_NOMINATIONS_AT_ONCE, `Högst ${MAX_NOMINATIONS_AT_ONCE} deltagare kan anmälas på en gång.`);

/** The cohort page's list: first a preview of who gets a seat and who goes to the waiting list. */
export const nominationPreviewSchema = z.object({
  intent: z.literal("preview-nominations"),
  participantIds: nominees,
});

/** Then the nominations themselves, with the number of seats the preview promised. */
export const nominationSchema = z.object({
  intent: z.literal("nominate"),
  participantIds: nominees,
  expectedNominated: z
    .number({ invalid_type_error: "Formuläret kunde inte läsas. Ladda om sidan och försök igen." })
    .int("Formuläret kunde inte läsas. Ladda om sidan och försök igen.")
    .min(0, "Formuläret kunde inte läsas. Ladda om sidan och försök igen.")
    .max(MAX_NOMINATIONS_AT_ONCE, "Formuläret kunde inte läsas. Ladda om sidan och försök igen.")
    .optional(),
});

/** A participant's own page: nominate them to the cohort picked. */
export const nominateToCohortSchema = z.object({
  intent: z.literal("nominate"),
  cohortId: id("Välj en omgång att anmäla till."),
});

/** One-click decisions on a row of the roster. */
export const enrolmentDecisionSchema = z.object({
  intent: z.enum(["accept", "withdraw"]),
  enrolmentId: id("Okänd anmälan."),
});

export const statusChanges = ["active", "completed", "dropped"] as const;

export const statusChangeSchema = z
  .object({
    intent: z.literal("status"),
    enrolmentId: id("Välj en deltagare."),
    status: z.enum(statusChanges, { errorMap: () => ({ message: "Välj ny status." }) }),
    date: date("Fyll i datum."),
    reason: z.string().trim().max(500, "Högst 500 tecken.").optional(),
  })
  .superRefine((value, ctx) => {
    if (value.status === "dropped" && !value.reason) {
      ctx.addIssue({ code: "custom", path: ["reason"], message: "Ange varför deltagaren avbryter." });
    }
  });
export type StatusChangeInput = z.infer<typeof statusChangeSchema>;
