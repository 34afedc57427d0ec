import type { Role } from "~/db/schema";

export const roleLabels: Record<Role, string> = {
  admin: "Systemadministratör",
  programme_lead: "Programledare",
  coordinator: "Kommunsamordnare",
  participant: "Deltagare",
  funder: "Finansiär",
  coach: "Coach",
};
