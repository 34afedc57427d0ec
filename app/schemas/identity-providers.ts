import { z } from "zod";
import { MAX_ROW_NUMBER } from "./ids";

const DOMAIN = /^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

/** "kommun.se, skola.kommun.se" or one per line: lower-case, unique, each a plain domain. */
const emailDomains = z
  .string({ required_error: "Skriv minst en e-postdomän, till exempel vimmerby.se." })
  .max(2000, "För många domäner.")
  .transform((v) => [...new Set(v.split(/[\s,;]+/).map((d) => d.trim().toLowerCase().replace(/^@/, "")).filter(Boolean))])
  .refine((list) => list.length > 0, "Skriv minst en e-postdomän, till exempel vimmerby.se.")
  .refine((list) => list.length <= 20, "Högst 20 domäner per inloggningstjänst.")
  .refine((list) => list.every((d) => DOMAIN.test(d)), "Skriv domänerna som vimmerby.se, åtskilda med komma.");

const municipalityIds = z
  .array(z.coerce.number().int().positive().max(MAX_ROW_NUMBER), { required_error: "Välj minst en kommun." })
  .min(1, "Välj minst en kommun.")
  .max(50);

const httpsUrl = (message: string) =>
  z
    .string({ required_error: message })
    .trim()
    .max(500, "Adressen är för lång.")
    .url(message)
    // Plain http only for a provider on this machine (tests, a local trial).
    .refine((v) => v.startsWith("https://") || /^http:\/\/(localhost|127\.0\.0\.1)(:\d+)?(\/|$)/.test(v), "Adressen måste börja med https://.");

const common = {
  name: z.string({ required_error: "Ge inloggningstjänsten ett namn." }).trim().min(2, "Ge inloggningstjänsten ett namn.").max(120, "Namnet är för långt."),
  emailDomains,
  municipalityIds,
  passwordLoginAllowed: z.preprocess((v) => v === "on" || v === "true", z.boolean()),
  version: z.coerce.number().int().positive().max(MAX_ROW_NUMBER).optional(),
};

export const identityProviderSchema = z.discriminatedUnion(
  "protocol",
  [
    z.object({
      ...common,
      protocol: z.literal("oidc"),
      issuer: httpsUrl("Skriv utfärdarens adress (issuer), till exempel https://login.microsoftonline.com/<tenant>/v2.0."),
      clientId: z.string({ required_error: "Skriv klient-id (application id)." }).trim().min(1).max(200, "Klient-id är för långt."),
      // Write-only: empty on an edit keeps the stored secret.
      clientSecret: z.string().max(500, "Hemligheten är för lång.").optional(),
    }),
    z.object({
      ...common,
      protocol: z.literal("saml"),
      // From the IdP's metadata (by URL or pasted), or typed: the domain fills what is left empty from the metadata.
      samlMetadataUrl: httpsUrl("Skriv metadataadressen, till exempel https://adfs.kommun.se/FederationMetadata/2007-06/FederationMetadata.xml.").optional(),
      samlMetadata: z.string().trim().max(500_000, "Metadatan är för lång.").optional(),
      issuer: z.string().trim().min(3, "Skriv identitetstjänstens entity id.").max(500, "Entity id är för långt.").optional(),
      samlSsoUrl: httpsUrl("Skriv adressen för inloggning (SingleSignOnService, HTTP-Redirect).").optional(),
      samlSloUrl: httpsUrl("Skriv adressen för utloggning (SingleLogoutService, HTTP-Redirect).").optional(),
      samlCertificate: z
        .string()
        .trim()
        .max(20000, "Certifikatet är för långt.")
        .refine((v) => /^(-----BEGIN CERTIFICATE-----[\s\S]+-----END CERTIFICATE-----|[A-Za-z0-9+/=\s]{100,})$/.test(v), "Klistra in certifikatet som PEM (-----BEGIN CERTIFICATE-----) eller base64.")
        .optional(),
    }),
  ],
  { errorMap: () => ({ message: "Välj protokoll: OIDC eller SAML." }) },
);

export type IdentityProviderInput = z.infer<typeof identityProviderSchema>;

/** The first step of the login page: where does this address log in? */
export const homeRealmSchema = z.object({
  email: z
    .string({ required_error: "Fyll i din e-postadress." })
    .trim()
    .max(254, "E-postadressen är för lång.")
    .email("Skriv e-postadressen som namn@kommun.se."),
  redirectTo: z.string().max(2000).optional().catch(undefined),
});
