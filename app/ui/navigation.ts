import type { Role } from "~/db/schema";

export interface NavItem {
  to: string;
  label: string;
  roles: Role[] | "all";
}

/** The main menu. A role sees an item only when it may use the page behind it (the server checks again). */
export const navItems: NavItem[] = [
  { to: "/", label: "Översikt", roles: "all" },
  { to: "/schema", label: "Mitt schema", roles: ["participant"] },
  { to: "/program", label: "Program", roles: ["admin", "programme_lead", "coordinator", "funder"] },
  { to: "/deltagare", label: "Deltagare", roles: ["coordinator"] },
  { to: "/kalender", label: "Kalender", roles: ["programme_lead", "coordinator"] },
  { to: "/tid", label: "Min tid", roles: ["participant"] },
  { to: "/aterkoppling", label: "360 och handlingsplan", roles: ["participant"] },
  { to: "/sjalvskattning", label: "Självskattning", roles: ["participant"] },
  { to: "/delade-rapporter", label: "Delade rapporter", roles: ["coach"] },
  { to: "/mina-uppgifter", label: "Mina uppgifter", roles: ["participant"] },
  { to: "/tidrapporter", label: "Tidrapporter", roles: ["coordinator"] },
  { to: "/medfinansiering", label: "Medfinansiering", roles: ["coordinator", "programme_lead"] },
  { to: "/statistik", label: "Statistik", roles: ["funder", "programme_lead", "coordinator"] },
  { to: "/uppfoljning", label: "Uppföljning", roles: ["coordinator"] },
  { to: "/scb", label: "SCB-rapport", roles: ["coordinator", "programme_lead"] },
  { to: "/admin/anvandare", label: "Användare", roles: ["admin"] },
  { to: "/admin/logg", label: "Händelselogg", roles: ["admin"] },
];

export function navFor(roles: Role[]): NavItem[] {
  return navItems.filter((item) => item.roles === "all" || item.roles.some((r) => roles.includes(r)));
}
