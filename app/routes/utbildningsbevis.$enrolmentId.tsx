import type { HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requireUserContext } from "~/auth/session.server";
import { PrintButton } from "~/components/print-button";
import { RouteErrorBoundary } from "~/components/route-error";
import { getCourseCertificate } from "~/domain/course-certificates.server";
import { courseCertificateText } from "~/ui/course-certificates";
import { programmeKindLabels } from "~/ui/labels";
import { formatDate } from "~/utils/format";
import { formatHours } from "~/utils/hours";
import { idParam } from "~/utils/params";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `Utbildningsbevis, ${data.participantName} – Programportalen` : "Utbildningsbevis – Programportalen" },
];

export const headers: HeadersFunction = () => ({ "Cache-Control": "no-store" });

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const ctx = await requireUserContext(request, context);
  return getCourseCertificate(ctx, idParam(params.enrolmentId));
}

/** The course certificate, laid out to be printed (or saved as PDF from the browser's print dialog). */
export default function CourseCertificatePage() {
  const c = useLoaderData<typeof loader>();
  const text = courseCertificateText(c);
  return (
    <div className="page">
      <div className="actions no-print">
        <Link to="/mina-uppgifter">Tillbaka</Link>
        <PrintButton />
      </div>
      <p className="muted no-print">Välj ”Spara som PDF” i utskriftsrutan för att få beviset som en fil.</p>
      <article className="certificate course-certificate">
        <h1>Utbildningsbevis</h1>
        <p className="course-certificate__name">{c.participantName}</p>
        <p className="course-certificate__text">{text}</p>
        <section aria-labelledby="programme-heading">
          <h2 id="programme-heading">Utbildningen</h2>
          <dl className="facts">
            <dt>Program</dt>
            <dd>{c.programmeName}</dd>
            <dt>Typ</dt>
            <dd>{programmeKindLabels[c.programmeKind]}</dd>
            <dt>Omgång</dt>
            <dd>{c.cohortName}</dd>
            <dt>Period</dt>
            <dd>
              {formatDate(c.startedOn)} – {formatDate(c.endedOn)}
            </dd>
            <dt>Genomförd tid</dt>
            <dd>
              {formatHours(c.attendedMinutes)} tim ({c.attendancePercent} % av träffarnas tid; kravet är {c.completionPercent} %)
            </dd>
            {c.esfProjectNumber ? (
              <>
                <dt>ESF-projektnummer</dt>
                <dd>{c.esfProjectNumber}</dd>
              </>
            ) : null}
          </dl>
        </section>
        <section aria-labelledby="themes-heading">
          <h2 id="themes-heading">Träffar och teman</h2>
          <ol className="course-certificate__sessions">
            {c.sessions.map((s) => (
              <li key={`${s.date}-${s.title}`}>
                <span className="course-certificate__date">{formatDate(s.date)}</span> {s.title}
              </li>
            ))}
          </ol>
        </section>
        <section aria-labelledby="organisers-heading">
          <h2 id="organisers-heading">Anordnare</h2>
          <dl className="facts">
            <dt>Huvudman</dt>
            <dd>{c.ownerMunicipality} kommun</dd>
            {c.partnerMunicipalities.length ? (
              <>
                <dt>Tillsammans med</dt>
                <dd>{c.partnerMunicipalities.map((m) => `${m} kommun`).join(", ")}</dd>
              </>
            ) : null}
            {c.programmeLeads.length ? (
              <>
                <dt>Programledare</dt>
                <dd>{c.programmeLeads.join(", ")}</dd>
              </>
            ) : null}
          </dl>
        </section>
        <p className="muted">Utfärdat från Programportalen.</p>
      </article>
    </div>
  );
}

export const ErrorBoundary = RouteErrorBoundary;
