import type { HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requireUserContext } from "~/auth/session.server";
import { CertificateLinks } from "~/components/certificate-links";
import { PrintButton } from "~/components/print-button";
import { RegisterExtractSections } from "~/components/register-extract";
import { RouteErrorBoundary } from "~/components/route-error";
import { listCourseCertificates } from "~/domain/course-certificates.server";
import { getOwnRegisterExtract } from "~/domain/register-extract.server";
import { presentExtract } from "~/ui/register-extract";
import { formatDateTime } from "~/utils/format";

export const meta: MetaFunction = () => [{ title: "Mina uppgifter – Programportalen" }];

export const headers: HeadersFunction = () => ({ "Cache-Control": "no-store" });

export async function loader({ request, context }: LoaderFunctionArgs) {
  const ctx = await requireUserContext(request, context);
  const extract = presentExtract(await getOwnRegisterExtract(ctx, "html"));
  return { ...extract, certificates: await listCourseCertificates(ctx) };
}

export default function MyData() {
  const extract = useLoaderData<typeof loader>();
  return (
    <div className="page register-extract">
      <div className="page-header">
        <div>
          <h1>Mina uppgifter</h1>
          <p className="lead">
            Det här är allt som Programportalen lagrar om dig ({formatDateTime(extract.generatedAt)}). Du har rätt att få ett
            sådant registerutdrag enligt dataskyddsförordningen (GDPR).
          </p>
        </div>
        <div className="actions">
          <a href="/mina-uppgifter.json" className="button" download>
            Ladda ner som fil (JSON)
          </a>
          <PrintButton />
        </div>
      </div>
      <p>
        Är något fel? Kontakta samordnaren i {extract.municipalityName} kommun, som kan rätta uppgifterna. Läs mer om{" "}
        <Link to="/integritet">hur vi hanterar personuppgifter</Link>.
      </p>
      {extract.certificates.length ? (
        <section aria-labelledby="certificates-heading">
          <h2 id="certificates-heading">Utbildningsbevis</h2>
          <CertificateLinks certificates={extract.certificates} />
        </section>
      ) : null}
      <RegisterExtractSections sections={extract.sections} />
    </div>
  );
}

export const ErrorBoundary = RouteErrorBoundary;
