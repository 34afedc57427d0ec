import { parseWithZod } from "@conform-to/zod";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { requireRecentAuthentication, requireUserContext } from "~/auth/session.server";
import { IdentityProviderForm } from "~/components/identity-provider-form";
import { SamlProviderStatus } from "~/components/saml-provider-status";
import { RouteErrorBoundary } from "~/components/route-error";
import { identityProviderDetails, municipalityChoices, saveIdentityProvider } from "~/domain/identity-providers.server";
import { identityProviderSchema } from "~/schemas/identity-providers";
import { replyWithRefusal } from "~/utils/action-result.server";
import { readFormData } from "~/utils/form-data.server";
import { idParam } from "~/utils/params";
import { safeRedirect } from "~/utils/redirect";

export const meta: MetaFunction = () => [{ title: "Inloggningstjänst – Programportalen" }];

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const ctx = await requireUserContext(request, context);
  const provider = await identityProviderDetails(ctx, idParam(params.providerId));
  requireRecentAuthentication(request, ctx);
  return { provider, municipalities: await municipalityChoices(ctx) };
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const ctx = await requireUserContext(request, context);
  requireRecentAuthentication(request, ctx);
  const id = idParam(params.providerId);
  const submission = parseWithZod(await readFormData(request), { schema: identityProviderSchema });
  const result = await saveIdentityProvider(ctx, id, submission, { secretKey: context.config.ssoSecretKey });
  if (!result.ok) return replyWithRefusal(submission, result, { hideFields: ["clientSecret"] });
  return redirect(safeRedirect(`/admin/inloggning/${id}?sparad=1`));
}

export default function EditIdentityProvider() {
  const { provider, municipalities } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const [searchParams] = useSearchParams();
  return (
    <div className="page">
      <nav className="breadcrumbs" aria-label="Du är här">
        <ol>
          <li>
            <Link to="/admin/inloggning">Kommunernas inloggning</Link>
          </li>
          <li aria-current="page">{provider.name}</li>
        </ol>
      </nav>
      <h1>{provider.name}</h1>
      {searchParams.get("sparad") ? (
        <p className="alert alert--success" role="status">
          Inloggningstjänsten är sparad.
        </p>
      ) : null}
      {provider.protocol === "saml" ? <SamlProviderStatus provider={provider} /> : null}
      <IdentityProviderForm
        // Keyed by version: after a save the form shows what was stored.
        key={provider.version}
        values={{
          name: provider.name,
          protocol: provider.protocol,
          issuer: provider.issuer,
          clientId: provider.clientId ?? "",
          // By metadata URL the addresses and certificates follow the metadata: the manual fields stay empty.
          samlMetadataUrl: provider.samlMetadataUrl ?? "",
          samlSsoUrl: provider.samlMetadataUrl ? "" : (provider.samlSsoUrl ?? ""),
          samlSloUrl: provider.samlMetadataUrl ? "" : (provider.samlSloUrl ?? ""),
          samlCertificate: provider.samlMetadataUrl ? "" : (provider.samlCertificate ?? ""),
          emailDomains: provider.emailDomains.join(", "),
          municipalityIds: provider.municipalityIds.map(String),
          passwordLoginAllowed: provider.passwordLoginAllowed,
          version: provider.version,
        }}
        municipalities={municipalities}
        hasClientSecret={provider.hasClientSecret}
        lastResult={lastResult}
        submitLabel="Spara ändringar"
      />
    </div>
  );
}

export const ErrorBoundary = RouteErrorBoundary;
