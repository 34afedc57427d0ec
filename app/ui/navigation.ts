import type { Role } from "~/db/schema";

export interface NavItem {
  to: string;
  label: string;
  roles: Role[] | "all";
}

/** The main menu. A role sees an item only when it may use the page behind it (the server checks again). */
export const navItems: NavItem[] = [
  { to: "/", label: "Översikt", roles: "all" },
];

export function navFor(roles: Role[]): NavItem[] {
  return navItems.filter((item) => item.roles === "all" || item.roles.some((r) => roles.includes(r)));
}
