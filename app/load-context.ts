import type { Config } from "./config.server";
import type { Db } from "./db/connection.server";

/** What the server hands every loader and action (see server/app.ts). */
export interface PortalLoadContext {
  db: Db;
  config: Config;
  /** Per-request CSP nonce for the inline scripts Remix renders. */
  nonce: string;
  clientIp: string;
}

declare module "@remix-run/node" {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface AppLoadContext extends PortalLoadContext {}
}
