/**
 * Demo material: the next two sessions of "Omgång 2" (the demo trainee's
 * cohort) each have a short PDF and a link, so the trainee's start page and
 * the session pages show what material looks like. The rows are seeded with
 * the rest of the demo data; the PDFs are written into MATERIAL_DIR by
 * `writeDemoMaterialFiles` (server start on a new database, test servers).
 */
import fs from "node:fs";
import path from "node:path";
import type { Db } from "../../app/db/connection.server";
import { stockholmToUtcIso } from "../../app/utils/time";

/** Fixed keys, so the rows and the files find each other in every copy of the demo data. */
const DEMO_FILES = [
  { key: "demo-material-session-01", fileName: "Programblad.pdf", title: "Programblad för dagen", lines: ["Programblad", "Ledarutveckling over granserna", "09.00 Samling och kaffe", "09.30 Pass 1: Att leda i forandring", "12.00 Lunch", "13.00 Pass 2: Samtal i grupp", "15.30 Avslut"] },
  { key: "demo-material-session-02", fileName: "Forberedelse.pdf", title: "Förberedelse inför träffen", lines: ["Forberedelse", "Las igenom din handlingsplan", "och ta med en fraga fran din vardag som chef."] },
] as const;

const DEMO_LINKS = [
  { title: "ESF-rådet: om Europeiska socialfonden", url: "https://www.esf.se/" },
  { title: "Förberedande läsning: Arbetsmiljöverket om organisatorisk och social arbetsmiljö", url: "https://www.av.se/" },
] as const;

export async function seedMaterialDemo(db: Db, today: string): Promise<void> {
  const lead = await db.selectFrom("users").select("id").where("email", "=", "programledare@programportalen.test").executeTakeFirstOrThrow();
  const upcoming = await db
    .selectFrom("sessions as s")
    .innerJoin("cohorts as c", "c.id", "s.cohort_id")
    .select(["s.id", "s.created_at"])
    .where("c.name", "=", "Omgång 2")
    .where("s.status", "=", "planned")
    .where("s.ends_at", ">=", stockholmToUtcIso(today, "00:00"))
    .orderBy("s.starts_at")
    .limit(DEMO_FILES.length)
    .execute();
  for (const [i, session] of upcoming.entries()) {
    const file = DEMO_FILES[i];
    await db
      .insertInto("session_materials")
      .values([
        {
          session_id: session.id,
          kind: "file",
          title: file.title,
          url: null,
          file_key: file.key,
          file_name: file.fileName,
          content_type: "application/pdf",
          size_bytes: demoPdf(file.lines).length,
          created_by: lead.id,
          created_at: session.created_at,
        },
        { session_id: session.id, kind: "link", title: DEMO_LINKS[i].title, url: DEMO_LINKS[i].url, created_by: lead.id, created_at: session.created_at },
      ])
      .execute();
  }
}

/** Writes the demo PDFs into the material folder (those already there are left alone). */
export function writeDemoMaterialFiles(dir: string): void {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  for (const file of DEMO_FILES) {
    const target = path.join(dir, file.key);
    if (!fs.existsSync(target)) fs.writeFileSync(target, demoPdf(file.lines), { mode: 0o600 });
  }
}

/** A one-page PDF with the lines in Helvetica: small, valid, made without a library. */
export function demoPdf(lines: readonly string[]): Buffer {
  const text = lines.map((line, i) => `BT /F1 ${i === 0 ? 20 : 12} Tf 72 ${760 - i * 28} Td (${line.replace(/[\\()]/g, (c) => `\\${c}`)}) Tj ET`).join("\n");
  const objects = [
    "<< /Type /Catalog /Pages 2 0 R >>",
    "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
    "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    `<< /Length ${Buffer.byteLength(text, "latin1")} >>\nstream\n${text}\nendstream`,
  ];
  let body = "%PDF-1.4\n";
  const offsets: number[] = [];
  objects.forEach((object, i) => {
    offsets.push(Buffer.byteLength(body, "latin1"));
    body += `${i + 1} 0 obj\n${object}\nendobj\n`;
  });
  const xref = Buffer.byteLength(body, "latin1");
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, "0")} 00000 n \n`).join("")}`;
  body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(body, "latin1");
}
