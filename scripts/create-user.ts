/**
 * `npm run user:create -- --email anna@kommun.se --name "Anna Admin" [--role admin]`
 *
 * Creates a user from the command line, typically the first administrator of
 * an empty portal (SEED_DEMO=false). The password is asked for on the terminal,
 * or read from the PORTAL_PASSWORD environment variable when there is no terminal.
 */
import { parseArgs } from "node:util";
import readline from "node:readline/promises";
import { z } from "zod";
import { passwordProblem } from "../app/auth/password-policy.server";
import { ConfigError, loadConfig } from "../app/config.server";
import { migrateToLatest, openDatabase } from "../app/db/connection.server";
import { writeAudit } from "../app/domain/audit.server";
import { createUser } from "../db/seed/factories";

const { values } = parseArgs({
  options: { email: { type: "string" }, name: { type: "string" }, role: { type: "string", default: "admin" } },
});

const input = z
  .object({
    email: z.string({ required_error: "--email is required" }).email("--email must be an e-mail address"),
    name: z.string({ required_error: "--name is required" }).min(1),
    role: z.literal("admin", { errorMap: () => ({ message: "--role: only admin can be created here; grant other roles in the portal" }) }),
  })
  .safeParse(values);
if (!input.success) {
  console.error(input.error.issues.map((i) => i.message).join("\n"));
  process.exit(2);
}

async function readPassword(): Promise<string> {
  if (process.env.PORTAL_PASSWORD) return process.env.PORTAL_PASSWORD;
  if (!process.stdin.isTTY) throw new ConfigError("No terminal: set PORTAL_PASSWORD to the new user's password.");
  const rl = readline.createInterface({ input: process.stdin, output: process.stdout });
  const password = await rl.question("Lösenord (minst 12 tecken): ");
  rl.close();
  return password;
}

try {
  const config = loadConfig();
  const password = await readPassword();
  const problem = passwordProblem(password, [input.data.email, input.data.name]);
  if (problem) throw new ConfigError(problem);
  const db = openDatabase(config.databaseUrl, config.databasePool);
  await migrateToLatest(db);
  const existing = await db.selectFrom("users").select("id").where("email", "=", input.data.email.toLowerCase()).executeTakeFirst();
  if (existing) throw new ConfigError(`A user with the e-mail ${input.data.email} already exists.`);
  const userId = await createUser(db, { email: input.data.email, name: input.data.name, password, grants: [{ role: "admin" }] });
  await writeAudit(db, { actorUserId: null, action: "user.created", entity: "user", entityId: userId, detail: { via: "command line", role: "admin" } });
  await db.destroy();
  console.log(`Created administrator ${input.data.email} (user ${userId}).`);
} catch (error) {
  if (error instanceof ConfigError) {
    console.error(error.message);
    process.exit(1);
  }
  throw error;
}
