/**
 * What a coordinator may type about a participant: the same schema checks the
 * add and edit forms (in the browser and on the server) and every row of a CSV
 * import, so a person cannot get in one way that the other would refuse.
 */
import { z } from "zod";
import { personnummerSchema } from "~/domain/personnummer";
import { stockholmToday } from "~/utils/format";
import { searchTextSchema, sortSchema } from "~/schemas/table-sort";

export const GENDERS = ["kvinna", "man", "icke_binar", "vill_ej_uppge"] as const;
export const EDUCATION_LEVELS = ["isced_0_2", "isced_3_4", "isced_5_8"] as const;

export const PARTICIPANT_STATUSES = ["active", "ended", "all"] as const;
export type ParticipantStatusFilter = (typeof PARTICIPANT_STATUSES)[number];

/** The list's search parameters; anything odd in the URL falls back to the default. */
export const PARTICIPANT_SORTS = ["namn", "epost", "forvaltning", "status"] as const;
export type ParticipantSort = (typeof PARTICIPANT_SORTS)[number];

export const participantListQuerySchema = z.object({
  q: searchTextSchema(100, "").optional().catch(undefined),
  status: z.enum(PARTICIPANT_STATUSES).catch("active"),
  page: z.coerce.number().int().min(1).max(100_000).catch(1),
  ...sortSchema(PARTICIPANT_SORTS, "namn"),
});

export const MIN_BIRTH_YEAR = 1940;
/** Nobody younger than this takes part in a workplace programme. */
const MIN_AGE = 15;

export const PARTICIPANT_MESSAGES = {
  firstName: "Fyll i förnamn.",
  lastName: "Fyll i efternamn.",
  email: "Fyll i e-postadress till arbetet.",
  emailFormat: "Skriv e-postadressen som namn@kommun.se.",
  department: "Fyll i förvaltning.",
  gender: "Välj kön: kvinna, man, icke-binär eller vill ej uppge.",
  birthYear: "Fyll i födelseår med fyra siffror, till exempel 1985.",
  birthYearRange: `Födelseåret ska vara mellan ${MIN_BIRTH_YEAR} och ${new Date().getFullYear() - MIN_AGE}.`,
  birthYearMismatch: "Födelseåret stämmer inte med personnumret.",
  education: "Välj utbildningsnivå: ISCED 0–2, 3–4 eller 5–8.",
  salaryGroup: "Fyll i lönegrupp.",
  emailTaken: "Det finns redan en deltagare med den e-postadressen i kommunen.",
  tooLong: (max: number) => `Högst ${max} tecken.`,
} as const;

const text = (required: string, max: number) =>
  z.string({ required_error: required }).trim().min(1, required).max(max, PARTICIPANT_MESSAGES.tooLong(max));

export const participantSchema = z
  .object({
    firstName: text(PARTICIPANT_MESSAGES.firstName, 100),
    lastName: text(PARTICIPANT_MESSAGES.lastName, 100),
    email: z
      .string({ required_error: PARTICIPANT_MESSAGES.email })
      .trim()
      .max(254, PARTICIPANT_MESSAGES.tooLong(254))
      .email(PARTICIPANT_MESSAGES.emailFormat)
      .transform((e) => e.toLowerCase()),
    department: text(PARTICIPANT_MESSAGES.department, 150),
    title: z.string().trim().max(150, PARTICIPANT_MESSAGES.tooLong(150)).optional(),
    gender: z.enum(GENDERS, { errorMap: () => ({ message: PARTICIPANT_MESSAGES.gender }) }),
    birthYear: z
      .number({ required_error: PARTICIPANT_MESSAGES.birthYear, invalid_type_error: PARTICIPANT_MESSAGES.birthYear })
      .int(PARTICIPANT_MESSAGES.birthYear)
      .refine((y) => y >= MIN_BIRTH_YEAR && y <= new Date().getFullYear() - MIN_AGE, PARTICIPANT_MESSAGES.birthYearRange),
    personnummer: personnummerSchema,
    educationLevel: z.enum(EDUCATION_LEVELS, { errorMap: () => ({ message: PARTICIPANT_MESSAGES.education }) }).optional(),
    salaryGroup: text(PARTICIPANT_MESSAGES.salaryGroup, 40),
    /** The nearest manager (närmaste chef), who certifies the monthly time reports. */
    managerName: z.string().trim().max(200, PARTICIPANT_MESSAGES.tooLong(200)).optional(),
    managerEmail: z
      .string()
      .trim()
      .max(254, PARTICIPANT_MESSAGES.tooLong(254))
      .email("Skriv chefens e-postadress, till exempel namn@kommun.se.")
      .transform((e) => e.toLowerCase())
      .optional(),
  })
  .superRefine((value, ctx) => {
    // Refinements run even when a field already failed; compare only two valid values.
    const { personnummer, birthYear } = value;
    if (typeof personnummer !== "string" || typeof birthYear !== "number" || Number.isNaN(birthYear)) return;
    if (Number(personnummer.slice(0, 4)) !== birthYear) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ["birthYear"], message: PARTICIPANT_MESSAGES.birthYearMismatch });
    }
  });

export type ParticipantInput = z.infer<typeof participantSchema>;

export const endParticipationSchema = z.object({
  intent: z.literal("end"),
  endedOn: z
    .string({ required_error: "Fyll i slutdatum." })
    .regex(/^\d{4}-\d{2}-\d{2}$/, "Skriv datumet som ÅÅÅÅ-MM-DD.")
    .refine(isCalendarDate, "Datumet finns inte.")
    .refine((d) => d <= stockholmToday(), "Slutdatumet kan inte ligga i framtiden."),
  endReason: text("Fyll i orsak till avslut.", 500),
});

function isCalendarDate(value: string): boolean {
  const date = new Date(`${value}T12:00:00Z`);
  // JavaScript rolls 31 February over into March; a real date survives the round trip.
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
}

export type EndParticipationInput = z.infer<typeof endParticipationSchema>;

export const MAX_IMPORT_BYTES = 5 * 1024 * 1024;

/** A file upload; Conform treats an empty file input as missing. */
export const participantImportSchema = z.object({
  file: z
    .instanceof(File, { message: "Välj en CSV-fil att läsa in." })
    .refine((f) => f.size > 0, "Filen är tom.")
    .refine((f) => f.size <= MAX_IMPORT_BYTES, "Filen är för stor (högst 5 MB)."),
});
