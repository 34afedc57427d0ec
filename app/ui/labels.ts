import type { EducationLevel, EnrolmentStatus, Funding, Gender, ProgrammeKind, SessionKind } from "~/db/schema";

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
