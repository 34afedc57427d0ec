import { SubmitButton } from "~/components/submit-button";
import { RouteErrorBoundary } from "~/components/route-error";
import { TableWrap } from "~/components/table-wrap";
import { getFormProps, useForm, type SubmissionResult } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction, SerializeFrom } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { requireUserContext } from "~/auth/session.server";
import { FormErrors, SelectField, TextField, useEntryFormKey } from "~/components/form";
import { SeatTable } from "~/components/seat-table";
import { getSeatTransfers, transferSeats } from "~/domain/cohorts.server";
import { seatTransferSchema } from "~/schemas/programmes";
import { formatDateTime } from "~/utils/format";
import { idParam } from "~/utils/params";
import { replyWithRefusal } from "~/utils/action-result.server";
import { readFormData } from "~/utils/form-data.server";

export const meta: MetaFunction = () => [{ title: "Flytta platser – Programportalen" }];

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const ctx = await requireUserContext(request, context);
  return getSeatTransfers(ctx, idParam(params.cohortId));
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const ctx = await requireUserContext(request, context);
  const cohortId = idParam(params.cohortId);
  const submission = parseWithZod(await readFormData(request), { schema: seatTransferSchema });
  const result = await transferSeats(ctx, cohortId, submission);
  if (!result.ok) return replyWithRefusal(submission, result);
  return redirect(`/omgangar/${cohortId}/platser?flyttade=${result.value.moved}&erbjudna=${result.value.offered}`);
}

export default function MoveSeats() {
  const { cohort, seats, transfers } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const entryKey = useEntryFormKey();
  return (
    <div className="page">
      <nav className="breadcrumbs" aria-label="Du är här">
        <ol>
          <li>
            <Link to="/program">Program</Link>
          </li>
          <li>
            <Link to={`/program/${cohort.programmeId}`}>{cohort.programmeName}</Link>
          </li>
          <li>
            <Link to={`/omgangar/${cohort.id}`}>{cohort.name}</Link>
          </li>
          <li aria-current="page">Flytta platser</li>
        </ol>
      </nav>
      <h1>Flytta platser i {cohort.name}</h1>
      {lastResult ? null : <MovedNotice />}
      <p>
        Bara lediga platser kan flyttas. Den kommun som får platserna erbjuder dem direkt till de första på sin väntelista.
      </p>
      <SeatTable seats={seats} caption="Platser per kommun" />
      <h2>Flytta</h2>
      <SeatMoveForm key={entryKey} seats={seats} lastResult={lastResult} />
      <h2>Tidigare flyttar</h2>
      {transfers.length === 0 ? (
        <p className="empty">Inga platser har flyttats i den här omgången.</p>
      ) : (
        <TableWrap label="Tidigare flyttar av platser">
          <table>
            <caption className="visually-hidden">Tidigare flyttar av platser</caption>
            <thead>
              <tr>
                <th scope="col">När</th>
                <th scope="col">Från</th>
                <th scope="col">Till</th>
                <th scope="col" className="num">
                  Platser
                </th>
                <th scope="col">Av</th>
              </tr>
            </thead>
            <tbody>
              {transfers.map((t) => (
                <tr key={t.id}>
                  <td>{formatDateTime(t.movedAt)}</td>
                  <td>{t.from}</td>
                  <td>{t.to}</td>
                  <td className="num">{t.seats}</td>
                  <td>{t.movedBy}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      )}
    </div>
  );
}

function SeatMoveForm({ seats, lastResult }: { seats: SerializeFrom<typeof loader>["seats"]; lastResult?: SubmissionResult<string[]> }) {
  const navigation = useNavigation();
  const [form, fields] = useForm({
    lastResult,
    shouldValidate: "onSubmit",
    shouldRevalidate: "onInput",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: seatTransferSchema }),
  });
  const options = seats.map((s) => ({ value: String(s.municipalityId), label: s.municipality }));
  const fromOptions = seats.map((s) => ({ value: String(s.municipalityId), label: `${s.municipality} (${s.free} lediga)` }));
  return (
    <Form method="post" {...getFormProps(form)} className="form panel">
      <FormErrors id={form.errorId} errors={form.errors} />
      <div className="form-row">
        <SelectField field={fields.fromMunicipalityId} label="Från kommun" placeholder="Välj kommun" options={fromOptions} />
        <SelectField field={fields.toMunicipalityId} label="Till kommun" placeholder="Välj kommun" options={options} />
        <TextField field={fields.seats} label="Antal platser" type="number" />
      </div>
      <div>
        <SubmitButton className="button" busy={navigation.state === "submitting"}>
          Flytta platser
        </SubmitButton>
      </div>
    </Form>
  );
}

function MovedNotice() {
  const [searchParams] = useSearchParams();
  const moved = Number(searchParams.get("flyttade"));
  const offered = Number(searchParams.get("erbjudna"));
  if (!moved) return null;
  return (
    <div className="alert alert--success" role="status">
      <p>
        {moved === 1 ? "En plats flyttades." : `${moved} platser flyttades.`}
        {offered ? ` ${offered === 1 ? "En person" : `${offered} personer`} på väntelistan erbjöds plats.` : ""}
      </p>
    </div>
  );
}

export const ErrorBoundary = RouteErrorBoundary;
