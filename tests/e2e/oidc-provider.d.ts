// oidc-provider ships no types (and @types/oidc-provider trails its major versions): what sso.spec.ts uses of it.
declare module "oidc-provider" {
  import type { RequestListener } from "node:http";
  interface Account {
    accountId: string;
    claims(): Promise<Record<string, unknown>>;
  }
  export default class Provider {
    constructor(issuer: string, configuration: Record<string, unknown> & { findAccount?: (ctx: unknown, id: string) => Promise<Account> });
    callback(): RequestListener;
  }
}
