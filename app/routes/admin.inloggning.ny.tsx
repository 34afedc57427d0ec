import { parseWithZod } from "@conform-to/zod";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { requireRecentAuthentication, requireUserContext } from "~/auth/session.server";
import { IdentityProviderForm } from "~/components/identity-provider-form";
import { RouteErrorBoundary } from "~/components/route-error";
import { municipalityChoices, saveIdentityProvider } from "~/domain/identity-providers.server";
import { identityProviderSchema } from "~/schemas/identity-providers";
import { replyWithRefusal } from "~/utils/action-result.server";
import { readFormData } from "~/utils/form-data.server";
import { safeRedirect } from "~/utils/redirect";

export const meta: MetaFunction = () => [{ title: "Ny inloggningstjänst – Programportalen" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const ctx = await requireUserContext(request, context);
  const municipalities = await municipalityChoices(ctx);
  requireRecentAuthentication(request, ctx);
  return { municipalities };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const ctx = await requireUserContext(request, context);
  // Configuring an IdP decides who may log in as whom: it asks for a fresh proof of identity, as role changes do.
  requireRecentAuthentication(request, ctx);
  const submission = parseWithZod(await readFormData(request), { schema: identityProviderSchema });
  const result = await saveIdentityProvider(ctx, null, submission, { secretKey: context.config.ssoSecretKey });
  if (!result.ok) return replyWithRefusal(submission, result, { hideFields: ["clientSecret"] });
  return redirect(safeRedirect(`/admin/inloggning/${result.value.id}?sparad=1`));
}

export default function NewIdentityProvider() {
  const { municipalities } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  return (
    <div className="page">
      <nav className="breadcrumbs" aria-label="Du är här">
        <ol>
          <li>
            <Link to="/admin/inloggning">Kommunernas inloggning</Link>
          </li>
          <li aria-current="page">Ny inloggningstjänst</li>
        </ol>
      </nav>
      <h1>Ny inloggningstjänst</h1>
      <IdentityProviderForm
        values={{ name: "", protocol: "oidc", issuer: "", clientId: "", samlSsoUrl: "", samlSloUrl: "", samlCertificate: "", samlMetadataUrl: "", emailDomains: "", municipalityIds: [], passwordLoginAllowed: false }}
        municipalities={municipalities}
        hasClientSecret={false}
        lastResult={lastResult}
        submitLabel="Spara inloggningstjänst"
      />
    </div>
  );
}

export const ErrorBoundary = RouteErrorBoundary;
