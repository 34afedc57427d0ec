/**
 * The server Playwright tests run against: the production build on a fresh,
 * temporary database with the demo data laid around a fixed day.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { requireCurrentBuild } from "../../scripts/build";
import { serverEntryPath } from "../../server/build-path";

// A fresh database at the path the specs know (E2E_DATABASE_FILE, set in playwright.config.ts): their testData fixture writes to it.
const databaseFile = process.env.E2E_DATABASE_FILE ?? path.join(fs.mkdtempSync(path.join(os.tmpdir(), "portal-e2e-")), "portal.sqlite");
const dir = path.dirname(databaseFile);
fs.rmSync(dir, { recursive: true, force: true });
fs.mkdirSync(dir, { recursive: true });
process.env.DATABASE_URL = `file:${databaseFile}`;
process.env.NODE_ENV = "production";
process.env.PORT ??= "3100";
process.env.HOST = "127.0.0.1";
// Links that leave the browser and the SSO addresses an IdP sends it back to: the address the specs browse (playwright.config.ts).
process.env.PUBLIC_URL ??= `http://127.0.0.1:${process.env.PORT}`;
// Chromium keeps Secure cookies on http://localhost but not on 127.0.0.1.
process.env.COOKIE_SECURE ??= "false";
// E-mail lands as .eml files in a folder the specs know (E2E_MAIL_DIR, set in playwright.config.ts), sent every second.
process.env.MAIL_OUTBOX_DIR = process.env.E2E_MAIL_DIR ?? path.join(dir, "mail-outbox");
fs.rmSync(process.env.MAIL_OUTBOX_DIR, { recursive: true, force: true });
process.env.MAIL_WORKER_INTERVAL_SECONDS ??= "1";

// The built server (build/server.mjs), exactly what `npm start` runs.
requireCurrentBuild();
await import(pathToFileURL(serverEntryPath).href);
