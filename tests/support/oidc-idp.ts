/**
 * A small OpenID Connect provider for tests of the portal's side of the flow:
 * discovery, JWKS and a token endpoint that checks the PKCE verifier and
 * answers with an ID token signed RS256 by a key made here. Each test says
 * what the next ID token claims (`nextClaims`) and whether it is signed with
 * a key the JWKS does not hold (`signWithStrangerKey`), to show the portal
 * refuses what a broken or hostile IdP sends.
 */
import crypto from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";

export interface TestIdp {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** The authorization request the portal made, read from its URL. */
  authorize(url: string): { state: string; nonce: string; codeChallenge: string };
  /** Changes to the next ID token's claims (merged over the correct ones). */
  nextClaims: Record<string, unknown>;
  signWithStrangerKey: boolean;
  /** Like many providers: the e-mail claims only at the userinfo endpoint, not in the ID token; `userinfo` is merged over its answer. */
  emailOnlyInUserinfo: boolean;
  userinfo: Record<string, unknown>;
  close(): Promise<void>;
}

const b64 = (v: Buffer | string) => Buffer.from(v).toString("base64url");

export async function startTestIdp(options: { subject: string; email: string }): Promise<TestIdp> {
  const key = crypto.generateKeyPairSync("rsa", { modulusLength: 2048 });
  const stranger = crypto.generateKeyPairSync("rsa", { modulusLength: 2048 });
  const kid = "test-key";
  const pending = new Map<string, { nonce: string; codeChallenge: string }>();
  const idp: TestIdp = {
    issuer: "",
    clientId: "portal-client",
    clientSecret: "portal-client-secret-for-tests",
    nextClaims: {},
    signWithStrangerKey: false,
    emailOnlyInUserinfo: false,
    userinfo: {},
    authorize(url) {
      const params = new URL(url).searchParams;
      const request = { state: params.get("state")!, nonce: params.get("nonce")!, codeChallenge: params.get("code_challenge")! };
      pending.set("the-code", { nonce: request.nonce, codeChallenge: request.codeChallenge });
      return request;
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
  const idToken = (nonce: string) => {
    const now = Math.floor(Date.now() / 1000);
    const email = idp.emailOnlyInUserinfo ? {} : { email: options.email, email_verified: true };
    const claims = { iss: idp.issuer, aud: idp.clientId, sub: options.subject, ...email, nonce, iat: now, exp: now + 300, ...idp.nextClaims };
    const input = `${b64(JSON.stringify({ alg: "RS256", kid, typ: "JWT" }))}.${b64(JSON.stringify(claims))}`;
    const signature = crypto.sign("sha256", Buffer.from(input), idp.signWithStrangerKey ? stranger.privateKey : key.privateKey);
    return `${input}.${b64(signature)}`;
  };
  const server = http.createServer((req, res) => {
    const url = new URL(req.url!, idp.issuer);
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { "content-type": "application/json" });
      res.end(JSON.stringify(body));
    };
    if (url.pathname === "/.well-known/openid-configuration") {
      return send(200, {
        issuer: idp.issuer,
        authorization_endpoint: `${idp.issuer}/authorize`,
        token_endpoint: `${idp.issuer}/token`,
        jwks_uri: `${idp.issuer}/jwks`,
        userinfo_endpoint: `${idp.issuer}/userinfo`,
        end_session_endpoint: `${idp.issuer}/logout`,
        response_types_supported: ["code"],
        subject_types_supported: ["public"],
        id_token_signing_alg_values_supported: ["RS256"],
        code_challenge_methods_supported: ["S256"],
      });
    }
    if (url.pathname === "/jwks") return send(200, { keys: [{ ...key.publicKey.export({ format: "jwk" }), kid, alg: "RS256", use: "sig" }] });
    if (url.pathname === "/userinfo") {
      if (req.headers.authorization !== "Bearer at") return send(401, { error: "invalid_token" });
      return send(200, { sub: options.subject, email: options.email, email_verified: true, ...idp.userinfo });
    }
    if (url.pathname === "/token" && req.method === "POST") {
      let body = "";
      req.on("data", (chunk) => (body += chunk));
      req.on("end", () => {
        const form = new URLSearchParams(body);
        const grant = pending.get(form.get("code") ?? "");
        pending.delete(form.get("code") ?? "");
        const challenge = crypto.createHash("sha256").update(form.get("code_verifier") ?? "").digest("base64url");
        if (!grant || challenge !== grant.codeChallenge || form.get("client_secret") !== idp.clientSecret) return send(400, { error: "invalid_grant" });
        send(200, { access_token: "at", token_type: "Bearer", expires_in: 300, id_token: idToken(grant.nonce) });
      });
      return;
    }
    send(404, { error: "not_found" });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  idp.issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return idp;
}
