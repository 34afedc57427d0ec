/**
 * Demo data for retention (gallring): two Vimmerby employees who were
 * registered for a programme years ago but left the municipality before
 * they were ever nominated. Nothing keeps their data any longer, so
 * Vimmerby's coordinator has someone on the "Att gallra" list.
 */
import type { Db } from "../../app/db/connection.server";
import { createParticipant } from "./factories";
import { personnummerFor } from "./people";

function addMonths(date: string, months: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCMonth(d.getUTCMonth() + months);
  return d.toISOString().slice(0, 10);
}

export async function seedPrivacyDemo(db: Db, today: string): Promise<void> {
  const vimmerby = await db.selectFrom("municipalities").select("id").where("slug", "=", "vimmerby").executeTakeFirstOrThrow();
  const people = [
    { firstName: "Gunnel", lastName: "Ekberg", email: "gunnel.ekberg", gender: "kvinna", birthYear: 1961, monthsAgo: 40, reason: "Gick i pension" },
    { firstName: "Bertil", lastName: "Sandén", email: "bertil.sanden", gender: "man", birthYear: 1970, monthsAgo: 30, reason: "Flyttade till annan kommun" },
  ] as const;
  for (const [i, person] of people.entries()) {
    const participantId = await createParticipant(db, {
      municipalityId: vimmerby.id,
      firstName: person.firstName,
      lastName: person.lastName,
      email: `${person.email}@vimmerby.example`,
      department: "Samhällsbyggnadsförvaltningen",
      title: "Arbetsledare",
      gender: person.gender,
      birthYear: person.birthYear,
      educationLevel: "isced_3_4",
      salaryGroup: "2",
      personnummer: personnummerFor(person.birthYear, 300 + i),
    });
    await db
      .updateTable("participants")
      .set({ ended_on: addMonths(today, -person.monthsAgo), end_reason: person.reason })
      .where("id", "=", participantId)
      .execute();
  }
}
