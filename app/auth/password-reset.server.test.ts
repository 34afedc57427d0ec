import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Db } from "~/db/connection.server";
import { createUser } from "../../db/seed/factories";
import { emptyDb } from "../../tests/support/db";
import { verifyPassword } from "./password.server";
import { RESET_LINK_LIFETIME_MS, RESET_PATH, requestPasswordReset, resetLinkIsLive, resetPasswordWithLink } from "./password-reset.server";

const NEW_PASSWORD = "cykeln står under äppelträdet i regn";
const T0 = Date.parse("2026-11-28T10:00:00.000Z");

/** The token from the newest reset e-mail to `to`. */
async function linkTokenFor(db: Db, to: string): Promise<string> {
  const mail = await db
    .selectFrom("mail_outbox")
    .select(["link_path", "body_text"])
    .where("to_address", "=", to)
    .where("kind", "=", "password_reset")
    .orderBy("id", "desc")
    .executeTakeFirstOrThrow();
  expect(mail.link_path!.startsWith(`${RESET_PATH}/`)).toBe(true);
  return mail.link_path!.slice(RESET_PATH.length + 1);
}

describe("password reset by e-mail", () => {
  let db: Db;
  let anna: number;
  beforeEach(async () => {
    db = await emptyDb();
    anna = await createUser(db, { email: "anna@kommun.se", name: "Anna Andersson", password: "annas gamla lösenord som glömts" });
    await createUser(db, { email: "bo@kommun.se", name: "Bo Berg", password: "bos lösenord som ingen känner till" });
  });
  afterEach(() => db.destroy());

  it("sends a single-use link, stores only its hash, sets the new password and ends every login session", async () => {
    await db.insertInto("login_sessions").values({ id: "x", user_id: anna, created_at: "", last_seen_at: "", expires_at: "", authenticated_at: "" }).execute();
    expect(await requestPasswordReset(db, { email: " Anna@Kommun.se ", ip: "1.1.1.1" }, T0)).toEqual({ ok: true, value: undefined });
    const token = await linkTokenFor(db, "anna@kommun.se");
    const stored = await db.selectFrom("users").select(["password_reset_hash", "password_reset_expires_at"]).where("id", "=", anna).executeTakeFirstOrThrow();
    expect(stored.password_reset_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(token).not.toContain(stored.password_reset_hash);
    expect(stored.password_reset_expires_at).toBe(new Date(T0 + RESET_LINK_LIFETIME_MS).toISOString());

    expect(await resetPasswordWithLink(db, { token, newPassword: NEW_PASSWORD }, T0 + 60_000)).toEqual({ ok: true, value: undefined });
    const user = await db.selectFrom("users").select(["password_hash", "password_reset_hash"]).where("id", "=", anna).executeTakeFirstOrThrow();
    expect(await verifyPassword(user.password_hash, NEW_PASSWORD)).toBe(true);
    expect(user.password_reset_hash).toBeNull();
    expect(await db.selectFrom("login_sessions").select("id").where("user_id", "=", anna).execute()).toEqual([]);
    const audit = await db.selectFrom("audit_log").select(["action", "entity_id"]).where("action", "like", "auth.password_reset%").orderBy("id").execute();
    expect(audit.map((a) => a.action)).toEqual(["auth.password_reset_requested", "auth.password_reset"]);
  });

  it("reset token used twice is refused", async () => {
    await requestPasswordReset(db, { email: "anna@kommun.se", ip: "1.1.1.1" }, T0);
    const token = await linkTokenFor(db, "anna@kommun.se");
    expect((await resetPasswordWithLink(db, { token, newPassword: NEW_PASSWORD }, T0)).ok).toBe(true);
    const again = await resetPasswordWithLink(db, { token, newPassword: "en helt annan mening om hösten i fjällen" }, T0);
    expect(again).toMatchObject({ ok: false, status: 400 });
    const user = await db.selectFrom("users").select("password_hash").where("id", "=", anna).executeTakeFirstOrThrow();
    expect(await verifyPassword(user.password_hash, NEW_PASSWORD)).toBe(true);
    expect(await resetLinkIsLive(db, token, T0)).toBe(false);
  });

  it("reset token used twice at once changes the password once", async () => {
    await requestPasswordReset(db, { email: "anna@kommun.se", ip: "1.1.1.1" }, T0);
    const token = await linkTokenFor(db, "anna@kommun.se");
    const results = await Promise.all([
      resetPasswordWithLink(db, { token, newPassword: NEW_PASSWORD }, T0),
      resetPasswordWithLink(db, { token, newPassword: "en helt annan mening om hösten i fjällen" }, T0),
    ]);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(await db.selectFrom("audit_log").select("id").where("action", "=", "auth.password_reset").execute()).toHaveLength(1);
  });

  it("expired reset token is refused", async () => {
    await requestPasswordReset(db, { email: "anna@kommun.se", ip: "1.1.1.1" }, T0);
    const token = await linkTokenFor(db, "anna@kommun.se");
    expect(await resetLinkIsLive(db, token, T0 + RESET_LINK_LIFETIME_MS - 1)).toBe(true);
    expect(await resetLinkIsLive(db, token, T0 + RESET_LINK_LIFETIME_MS)).toBe(false);
    expect(await resetPasswordWithLink(db, { token, newPassword: NEW_PASSWORD }, T0 + RESET_LINK_LIFETIME_MS)).toMatchObject({ ok: false });
  });

  it("reset token for another account is refused", async () => {
    await requestPasswordReset(db, { email: "anna@kommun.se", ip: "1.1.1.1" }, T0);
    const token = await linkTokenFor(db, "anna@kommun.se");
    const bo = await db.selectFrom("users").select("id").where("email", "=", "bo@kommun.se").executeTakeFirstOrThrow();
    const forBo = token.replace(/^\d+\./, `${bo.id}.`);
    expect(await resetPasswordWithLink(db, { token: forBo, newPassword: NEW_PASSWORD }, T0)).toMatchObject({ ok: false });
    for (const bogus of ["", "abc", `${anna}.`, `${anna}.${"A".repeat(43)}`, `0.${token.split(".")[1]}`, `${token}x`]) {
      expect(await resetPasswordWithLink(db, { token: bogus, newPassword: NEW_PASSWORD }, T0), bogus).toMatchObject({ ok: false });
    }
    const user = await db.selectFrom("users").select("password_hash").where("id", "=", bo.id).executeTakeFirstOrThrow();
    expect(await verifyPassword(user.password_hash, NEW_PASSWORD)).toBe(false);
  });

  it("a newer link replaces the older one", async () => {
    await requestPasswordReset(db, { email: "anna@kommun.se", ip: "1.1.1.1" }, T0);
    const first = await linkTokenFor(db, "anna@kommun.se");
    await requestPasswordReset(db, { email: "anna@kommun.se", ip: "1.1.1.1" }, T0 + 1000);
    expect(await resetLinkIsLive(db, first, T0 + 2000)).toBe(false);
    expect(await resetLinkIsLive(db, await linkTokenFor(db, "anna@kommun.se"), T0 + 2000)).toBe(true);
  });

  it("refuses a weak new password and keeps the link usable", async () => {
    await requestPasswordReset(db, { email: "anna@kommun.se", ip: "1.1.1.1" }, T0);
    const token = await linkTokenFor(db, "anna@kommun.se");
    expect(await resetPasswordWithLink(db, { token, newPassword: "sommaren2026!!" }, T0)).toMatchObject({ ok: false, fieldErrors: { newPassword: [expect.any(String)] } });
    expect(await resetLinkIsLive(db, token, T0)).toBe(true);
  });

  it("no account enumeration by answer: an unknown or disabled address gets the same answer and no e-mail", async () => {
    await db.updateTable("users").set({ disabled_at: new Date(T0).toISOString() }).where("email", "=", "bo@kommun.se").execute();
    const known = await requestPasswordReset(db, { email: "anna@kommun.se", ip: "1.1.1.1" }, T0);
    const unknown = await requestPasswordReset(db, { email: "ingen@kommun.se", ip: "1.1.1.1" }, T0);
    const disabled = await requestPasswordReset(db, { email: "bo@kommun.se", ip: "1.1.1.1" }, T0);
    expect(unknown).toEqual(known);
    expect(disabled).toEqual(known);
    const mail = await db.selectFrom("mail_outbox").select("to_address").execute();
    expect(mail.map((m) => m.to_address)).toEqual(["anna@kommun.se"]);
  });

  it("no account enumeration by timing: median difference under 10 ms over 50 tries", async () => {
    const known: number[] = [];
    const unknown: number[] = [];
    let now = T0;
    for (let i = 0; i < 50; i++) {
      // Two hours apart, so the limiter lets every try through, as for fifty different days.
      now += 2 * 60 * 60 * 1000;
      for (const [email, times] of i % 2 ? ([["anna@kommun.se", known], [`ingen${i}@kommun.se`, unknown]] as const) : ([[`ingen${i}@kommun.se`, unknown], ["anna@kommun.se", known]] as const)) {
        const start = performance.now();
        expect((await requestPasswordReset(db, { email, ip: "1.1.1.1" }, now)).ok).toBe(true);
        times.push(performance.now() - start);
      }
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    const difference = Math.abs(median(known) - median(unknown));
    console.log(`reset request median: known ${median(known).toFixed(2)} ms, unknown ${median(unknown).toFixed(2)} ms`);
    expect(difference).toBeLessThan(10);
  });

  it("limits reset requests per address and per source, whether or not the address exists", async () => {
    for (const email of ["anna@kommun.se", "ingen@kommun.se"]) {
      const answers = [];
      for (let i = 0; i < 4; i++) answers.push((await requestPasswordReset(db, { email, ip: `10.0.0.${i}` }, T0)).ok);
      expect(answers, email).toEqual([true, true, true, false]);
      expect(await requestPasswordReset(db, { email, ip: "10.0.0.9" }, T0 + 60 * 60 * 1000)).toMatchObject({ ok: true });
    }
    const fromOne = [];
    for (let i = 0; i < 21; i++) fromOne.push(await requestPasswordReset(db, { email: `person${i}@kommun.se`, ip: "2.2.2.2" }, T0));
    expect(fromOne.slice(0, 20).every((r) => r.ok)).toBe(true);
    expect(fromOne[20]).toMatchObject({ ok: false, status: 429, retryAfterSeconds: 3600 });
    expect(await db.selectFrom("mail_outbox").select("id").where("to_address", "=", "anna@kommun.se").execute()).toHaveLength(4);
  });
});
