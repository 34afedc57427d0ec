import type { EducationLevel, EnrolmentStatus, Funding, Gender, ProgrammeKind, SessionKind } from "~/db/schema";
import type { AttendanceStatus, CertifiedAs, OwnActivityKind, OwnActivityStatus, RoundingRule, TimeReportStatus } from "~/db/schema";

export const enrolmentStatusLabels: Record<EnrolmentStatus, string> = {
  nominated: "Anmäld",
  accepted: "Antagen",
  waitlisted: "På väntelista",
  active: "Aktiv",
  completed: "Avslutad",
  dropped: "Avbruten",
};

export const programmeKindLabels: Record<ProgrammeKind, string> = {
  ledarutveckling: "Ledarutveckling",
  trainee: "Traineeprogram",
  internutbildning: "Internutbildning",
};

export const fundingLabels: Record<Funding, string> = {
  esf: "ESF",
  regional: "Regional finansiering",
  own: "Egen finansiering",
};

export const sessionKindLabels: Record<SessionKind, string> = {
  utbildningsdag: "Utbildningsdag",
  workshop: "Workshop",
  skuggning: "Skuggning",
  natverkstraff: "Nätverksträff",
  studiebesok: "Studiebesök",
  digital: "Digital träff",
};

export const genderLabels: Record<Gender, string> = {
  kvinna: "Kvinna",
  man: "Man",
  icke_binar: "Icke-binär",
  vill_ej_uppge: "Vill ej uppge",
};

export const educationLabels: Record<EducationLevel, string> = {
  isced_0_2: "Förgymnasial (ISCED 0–2)",
  isced_3_4: "Gymnasial (ISCED 3–4)",
  isced_5_8: "Eftergymnasial (ISCED 5–8)",
};

export const attendanceStatusLabels: Record<AttendanceStatus, string> = {
  narvarande: "Närvarande",
  sen_ankomst: "Sen ankomst",
  giltig_franvaro: "Giltig frånvaro",
  franvarande: "Frånvarande",
};

/** One-letter codes for the attendance matrix; explained in its legend. */
export const attendanceStatusCodes: Record<AttendanceStatus, string> = {
  narvarande: "N",
  sen_ankomst: "S",
  giltig_franvaro: "G",
  franvarande: "F",
};

export const ownActivityKindLabels: Record<OwnActivityKind, string> = {
  skuggning: "Skuggning",
  egen_studietid: "Egen studietid",
  hemuppgift: "Hemuppgift",
};

export const ownActivityStatusLabels: Record<OwnActivityStatus, string> = {
  pending: "Väntar på beslut",
  approved: "Godkänd",
  rejected: "Avslagen",
};

export const timeReportStatusLabels: Record<TimeReportStatus, string> = {
  draft: "Utkast",
  confirmed: "Bekräftad av deltagaren",
  certified: "Attesterad",
  reopened: "Öppnad igen",
};

export const roundingLabels: Record<RoundingRule, string> = {
  hour_down: "Hela timmar, avrundat nedåt",
  half_hour_down: "Halvtimmar, avrundat nedåt",
  quarter_down: "Kvartar, avrundat nedåt",
};

/**
 * A time report line's activity as one text: the kind, then the title, unless
 * the title already says the kind ("Studiebesök: samverkan i praktiken" stays
 * as it is, never "Studiebesök: Studiebesök: …").
 */
export function reportLineActivity(line: { source: "session" | "own_activity"; kind: string | null; title: string }): string {
  const label = line.kind
    ? line.source === "session"
      ? sessionKindLabels[line.kind as SessionKind]
      : ownActivityKindLabels[line.kind as OwnActivityKind]
    : undefined;
  if (!label) return line.title;
  return line.title.toLocaleLowerCase("sv").startsWith(label.toLocaleLowerCase("sv")) ? line.title : `${label}: ${line.title}`;
}

export const certifiedAsLabels: Record<CertifiedAs, string> = {
  manager: "Attesterad av närmaste chef",
  on_behalf: "Attesterad av samordnaren på chefens vägnar",
};

/** Gallringsfrist: "10 år", "1 år och 6 månader", "18 månader" read better than "120 månader". */
export function retentionPeriod(months: number): string {
  const years = Math.floor(months / 12);
  const rest = months % 12;
  const y = years === 1 ? "1 år" : `${years} år`;
  const m = rest === 1 ? "1 månad" : `${rest} månader`;
  if (years === 0) return m;
  return rest === 0 ? y : `${y} och ${m}`;
}
