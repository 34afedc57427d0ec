/**
 * The HTTP server around the Remix app: security headers, static files,
 * cross-site request checks and the load context every loader receives.
 */
import crypto from "node:crypto";
import path from "node:path";
import { createRequestHandler } from "@remix-run/express";
import type { ServerBuild } from "@remix-run/node";
import compression from "compression";
import express, { type NextFunction, type Request, type Response } from "express";
import helmet from "helmet";
import type { Config } from "../app/config.server";
import { SAML_ACS_PATH } from "../app/auth/sso-paths";
import { MAX_BODY_BYTES } from "../app/utils/form-data.server";
import type { Db } from "../app/db/connection.server";


export interface AppOptions {
  db: Db;
  config: Config;
  build: ServerBuild;
  /** Folder holding public/ (defaults to the working directory). */
  root?: string;
}

export function createApp({ db, config, build, root = process.cwd() }: AppOptions): express.Express {
  const app = express();
  app.disable("x-powered-by");
  if (config.trustProxy) app.set("trust proxy", 1);

  app.use((_req, res, next) => {
    res.locals.nonce = crypto.randomBytes(16).toString("base64");
    next();
  });
  app.use(
    helmet({
      contentSecurityPolicy: {
        useDefaults: false,
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'", (_req, res) => `'nonce-${(res as Response).locals.nonce}'`],
          styleSrc: ["'self'"],
          imgSrc: ["'self'", "data:"],
          fontSrc: ["'self'"],
          connectSrc: ["'self'"],
          formAction: ["'self'"],
          frameAncestors: ["'none'"],
          baseUri: ["'none'"],
          objectSrc: ["'none'"],
        },
      },
      // Sent only over HTTPS, below: over plain HTTP the header means nothing.
      strictTransportSecurity: false,
      referrerPolicy: { policy: "strict-origin-when-cross-origin" },
      crossOriginEmbedderPolicy: false,
      xFrameOptions: { action: "deny" },
    }),
  );
  app.use((req, res, next) => {
    if (req.secure) res.setHeader("Strict-Transport-Security", "max-age=31536000; includeSubDomains");
    next();
  });
  app.use(compression());

  // Fingerprinted bundles never change under the same name: cache them for a year.
  app.use(build.publicPath, express.static(path.resolve(root, build.assetsBuildDirectory), { immutable: true, maxAge: "1y" }));
  // Files in public/ all have an extension; pages never do, so they skip the file-system look-up.
  const publicFiles = express.static(path.join(root, "public"), { maxAge: "1h" });
  app.use((req, res, next) => (path.extname(req.path) ? publicFiles(req, res, next) : next()));

  app.use(readRestOfBody);
  app.use(rejectCrossSiteWrites);
  app.use(limitBodySize);
  if (!config.trustProxy) app.use(warnOnceAboutProxy());

  app.all(
    "*",
    createRequestHandler({
      build,
      mode: config.nodeEnv,
      getLoadContext: (req, res) => ({
        db,
        config,
        nonce: res.locals.nonce as string,
        clientIp: req.ip ?? "",
      }),
    }),
  );
  return app;
}

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * Browsers send Origin (and Sec-Fetch-Site) with every cross-site POST, so a
 * write whose origin is not this host is a forgery. Together with SameSite=Lax
 * cookies this guards every form without per-form tokens.
 */
function rejectCrossSiteWrites(req: Request, res: Response, next: NextFunction) {
  if (SAFE_METHODS.has(req.method)) return next();
  // The one cross-site write by design: a SAML IdP posts its response from its own site. It changes
  // nothing unless its signature, audience, InResponseTo (this browser's request) and expiry hold.
  if (req.method === "POST" && req.path === SAML_ACS_PATH) return next();
  const origin = req.get("origin");
  const fetchSite = req.get("sec-fetch-site");
  let sameHost = true;
  if (origin) {
    try {
      sameHost = new URL(origin).host === req.get("host");
    } catch {
      sameHost = false;
    }
  }
  if (!sameHost || fetchSite === "cross-site") {
    res.status(403).type("text/plain; charset=utf-8").send("Förfrågan kom från en annan webbplats och avvisades.");
    return;
  }
  next();
}

/**
 * Behind a reverse proxy without TRUST_PROXY every client seems to come from
 * the proxy's address, so the per-address login limits would hold back all
 * users together. A request forwarded by a proxy shows it: say so, once.
 */
function warnOnceAboutProxy() {
  let warned = false;
  return (req: Request, _res: Response, next: NextFunction) => {
    if (!warned && req.get("x-forwarded-for") !== undefined) {
      warned = true;
      console.warn(
        "Requests carry X-Forwarded-For but TRUST_PROXY is off: every client is seen with the proxy's address, and the login limits per address then hold back all users at once. Set TRUST_PROXY=true when the portal runs behind one reverse proxy.",
      );
    }
    next();
  };
}

/**
 * A refused body larger than this is not read to its end: its connection is
 * closed after the answer (the client, still sending, may then miss the answer).
 */
const DISCARD_AT_MOST = 4 * MAX_BODY_BYTES;

/**
 * An answer sent before the body was read (an action that ignores it, a
 * redirect to the login page, a refused form) leaves the rest of the body on
 * the connection. The Remix adapter has paused the request there, so the
 * connection, announced as keep-alive, would carry no further request until
 * the keep-alive timeout reset it, failing the client's next request. Reading
 * and discarding the rest, as HTTP asks of a server that keeps the connection,
 * ends that; its size was capped by limitBodySize.
 */
function readRestOfBody(req: Request, res: Response, next: NextFunction) {
  res.once("finish", () => {
    if (req.complete) return;
    // Without the adapter's listener the chunks are dropped instead of queued for a reader that is gone.
    req.removeAllListeners("data");
    req.resume();
  });
  next();
}

/** Bodies are read only up to the largest upload; an undeclared length is refused (forms always declare it). */
function limitBodySize(req: Request, res: Response, next: NextFunction) {
  const declared = req.get("content-length");
  // Browsers always declare the length of a form; a body of unknown length could be endless.
  if (declared === undefined && req.get("transfer-encoding")) {
    res.status(411).type("text/plain; charset=utf-8").send("Ange längden på det du skickar (Content-Length).");
    return;
  }
  if (Number(declared ?? 0) > MAX_BODY_BYTES) {
    if (Number(declared) > DISCARD_AT_MOST) res.set("Connection", "close");
    res.status(413).type("text/plain; charset=utf-8").send(`Det du skickade är för stort (högst ${Math.round(MAX_BODY_BYTES / 1024 / 1024)} MB).`);
    return;
  }
  next();
}
