import { SubmitButton } from "~/components/submit-button";
import { getFormProps, getInputProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { requireRecentAuthentication, requireUserContext } from "~/auth/session.server";
import { FormErrors } from "~/components/form";
import { RouteErrorBoundary } from "~/components/route-error";
import { TableWrap } from "~/components/table-wrap";
import { anonymiseParticipant, getAnonymisationView } from "~/domain/anonymisation.server";
import { idParam } from "~/utils/params";
import { anonymiseSchema } from "~/schemas/privacy";
import { fundingLabels, retentionPeriod } from "~/ui/labels";
import { formatDate } from "~/utils/format";
import { replyWithRefusal } from "~/utils/action-result.server";
import { readFormData } from "~/utils/form-data.server";

export const meta: MetaFunction = () => [{ title: "Anonymisera deltagare – Programportalen" }];

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const ctx = await requireUserContext(request, context);
  const view = await getAnonymisationView(ctx, idParam(params.participantId));
  // Anonymisation cannot be undone: confirm the password first when the last proof is old.
  requireRecentAuthentication(request, ctx);
  return view;
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const ctx = await requireUserContext(request, context);
  const participantId = idParam(params.participantId);
  // Before anything is read: the domain function refuses another municipality's participant itself.
  requireRecentAuthentication(request, ctx);
  const formData = await readFormData(request);
  const submission = parseWithZod(formData, { schema: anonymiseSchema });
  const result = await anonymiseParticipant(ctx, participantId, submission, { mailOutboxDir: context.config.mailOutboxDir });
  if (!result.ok) return replyWithRefusal(submission, result);
  return redirect(formData.get("tillbaka") === "gallring" ? "/deltagare/gallring?anonymiserad=1" : `/deltagare/${participantId}?sparad=anonymiserad`);
}

export default function AnonymiseParticipant() {
  const { participant, status, explanation } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const navigation = useNavigation();
  const [searchParams] = useSearchParams();
  const fromList = searchParams.get("tillbaka") === "gallring";
  const [form, fields] = useForm({
    id: "anonymise",
    lastResult,
    shouldValidate: "onSubmit",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: anonymiseSchema }),
  });
  const name = `${participant.firstName} ${participant.lastName}`;
  const confirmProps = getInputProps(fields.confirm, { type: "checkbox", ariaAttributes: true });
  const { key: confirmKey, ...confirmInput } = confirmProps;

  return (
    <div className="page privacy-page">
      <nav aria-label="Du är här" className="breadcrumbs">
        <ol>
          <li>
            <Link to="/deltagare">Deltagare</Link>
          </li>
          <li>
            <Link to={`/deltagare/${participant.id}`}>{name}</Link>
          </li>
          <li aria-current="page">Anonymisera</li>
        </ol>
      </nav>
      <h1>Anonymisera {name}</h1>
      <p className="lead">
        När gallringsfristen har gått ut tas allt bort som kan kopplas till personen. Det som statistiken behöver finns kvar,
        så att siffrorna i redovisningen inte ändras.
      </p>

      <section className="panel" aria-labelledby="what-heading">
        <h2 id="what-heading">Det här händer</h2>
        <ul>
          <li>Namn, e-postadress, förvaltning, befattning och orsak till avslut ersätts med neutrala värden.</li>
          <li>Personnumret raderas.</li>
          <li>Inloggningen stängs och tas bort, liksom kalenderprenumerationer, notiser och e-post till deltagaren.</li>
          <li>Fritext som beskrivningar av egna aktiviteter och orsaker till ändringar tas bort.</li>
          <li>
            Kvar finns kommun, kön, födelseår, utbildningsnivå, anmälningarnas status och datum, närvarotimmar, attesterad tid och
            uppföljning – utan koppling till personen.
          </li>
        </ul>
        <p>
          Ta gärna ut ett <Link to={`/deltagare/${participant.id}/registerutdrag`}>registerutdrag</Link> först om uppgifterna
          behöver arkiveras enligt kommunens dokumenthanteringsplan.
        </p>
      </section>

      <section aria-labelledby="retention-heading">
        <h2 id="retention-heading">Gallringsfrist per program</h2>
        {status.programmes.length ? (
          <TableWrap label="Tabell: gallringsfrist per program">
            <table aria-labelledby="retention-heading">
              <thead>
                <tr>
                  <th scope="col">Program</th>
                  <th scope="col">Finansiering</th>
                  <th scope="col">Sista deltagande slutade</th>
                  <th scope="col">Gallringsfrist</th>
                  <th scope="col">Sparas till och med</th>
                </tr>
              </thead>
              <tbody>
                {status.programmes.map((p) => (
                  <tr key={p.programmeId}>
                    <th scope="row">{p.programmeName}</th>
                    <td>{fundingLabels[p.funding]}</td>
                    <td>{p.lastEndedOn ? formatDate(p.lastEndedOn) : "Pågår"}</td>
                    <td>{retentionPeriod(p.months)}</td>
                    <td>{p.retainUntil ? formatDate(p.retainUntil) : "–"}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableWrap>
        ) : (
          <p className="empty">Deltagaren har inte varit anmäld till något program.</p>
        )}
        <p>
          {status.anonymisableFrom ? (
            <>
              Deltagaren kan anonymiseras från och med <strong>{formatDate(status.anonymisableFrom)}</strong>.
            </>
          ) : (
            "Datumet räknas fram när deltagandet och alla anmälningar har avslutats."
          )}
        </p>
      </section>

      <Form method="post" {...getFormProps(form)} className="form panel">
        <h2>Bekräfta</h2>
        <FormErrors id={form.errorId} errors={form.errors} />
        {fromList ? <input type="hidden" name="tillbaka" value="gallring" /> : null}
        {explanation ? (
          <div className="alert alert--warning" id="anonymise-blocked">
            <p>{explanation}</p>
          </div>
        ) : null}
        <div className="field">
          <div className="checkbox">
            <input key={confirmKey} {...confirmInput} disabled={!!explanation} />
            <label htmlFor={fields.confirm.id}>Jag förstår att detta inte kan ångras</label>
          </div>
          <div id={fields.confirm.errorId}>
            {fields.confirm.errors?.map((e) => (
              <p key={e} className="field-error">
                {e}
              </p>
            ))}
          </div>
        </div>
        <div className="actions">
          <SubmitButton
            className="button button--danger"
            aria-describedby={explanation ? "anonymise-blocked" : undefined}
           disabled={!!explanation} busy={navigation.state === "submitting"}>
            Anonymisera deltagaren
          </SubmitButton>
          <Link to={fromList ? "/deltagare/gallring" : `/deltagare/${participant.id}`} className="button button--secondary">
            Avbryt
          </Link>
        </div>
      </Form>
    </div>
  );
}

export const ErrorBoundary = RouteErrorBoundary;
