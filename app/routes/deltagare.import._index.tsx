import { SubmitButton } from "~/components/submit-button";
import { RouteErrorBoundary } from "~/components/route-error";
import { TableWrap } from "~/components/table-wrap";
import { getFormProps, getInputProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { requireUserContext } from "~/auth/session.server";
import { FormErrors, useEntryFormKey } from "~/components/form";
import { getImportPage, importParticipants, validateImport } from "~/domain/participant-import.server";
import { MAX_IMPORT_BYTES, participantImportSchema } from "~/schemas/participants";
import { FileTooLargeError, readUpload } from "~/utils/form-data.server";

export const meta: MetaFunction = () => [{ title: "Läs in deltagare från fil – Programportalen" }];

/** Bad rows listed on the page; the rest are counted. */
const SHOWN_ROW_ERRORS = 200;

export async function loader({ request, context }: LoaderFunctionArgs) {
  const ctx = await requireUserContext(request, context);
  return getImportPage(ctx);
}

export async function action({ request, context }: ActionFunctionArgs) {
  const ctx = await requireUserContext(request, context);
  // The domain checks the caller before a byte of the file is read.
  const result = await importParticipants(ctx, async () => {
    try {
      const upload = await readUpload(request, { field: "file", maxBytes: MAX_IMPORT_BYTES, receive: validateImport });
      return upload.file ? { ok: true, validation: upload.file } : { ok: false, message: "Välj en CSV-fil att läsa in." };
    } catch (error) {
      if (error instanceof FileTooLargeError) return { ok: false, message: `Filen är för stor (högst ${MAX_IMPORT_BYTES / 1024 / 1024} MB).` };
      throw error;
    }
  });
  if (!result.ok) {
    const reply = parseWithZod(new FormData(), { schema: participantImportSchema }).reply({ fieldErrors: result.fieldErrors });
    return json({ reply, rowErrors: result.lineErrors ?? [] }, { status: result.status });
  }
  const counts = new URLSearchParams({
    nya: String(result.value.created),
    uppdaterade: String(result.value.updated),
    oforandrade: String(result.value.unchanged),
  });
  return redirect(`/deltagare/import?${counts}`);
}

export default function ImportParticipants() {
  const page = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const [searchParams] = useSearchParams();
  const [form, fields] = useForm({
    id: "participant-import",
    lastResult: actionData?.reply,
    shouldValidate: "onSubmit",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: participantImportSchema }),
  });
  const done = searchParams.has("nya") && !actionData;
  const count = (name: string) => Number(searchParams.get(name) ?? 0) || 0;
  const rowErrors = actionData?.rowErrors ?? [];
  const entryKey = useEntryFormKey();
  const { key: fileKey, ...fileProps } = getInputProps(fields.file, { type: "file", ariaAttributes: true });

  return (
    <div className="page">
      <nav aria-label="Du är här" className="breadcrumbs">
        <ol>
          <li>
            <Link to="/deltagare">Deltagare</Link>
          </li>
          <li aria-current="page">Läs in från fil</li>
        </ol>
      </nav>
      <h1>Läs in deltagare från fil</h1>
      <p className="lead">
        Lägg till eller uppdatera många deltagare i {page.municipalityName} kommun på en gång med en CSV-fil.
      </p>

      <div role="status">
        {done ? (
          <div className="alert alert--success">
            <p>
              Filen är inläst: {count("nya")} nya, {count("uppdaterade")} uppdaterade och {count("oforandrade")} oförändrade
              deltagare.
            </p>
            <p>
              <Link to="/deltagare">Till deltagarlistan</Link>
            </p>
          </div>
        ) : null}
      </div>

      {/* Keyed per navigation: after a file is read in, the form no longer holds it, ready for the next one. */}
      <Form key={entryKey} method="post" encType="multipart/form-data" {...getFormProps(form)} className="form panel">
        <FormErrors id={form.errorId} errors={form.errors} />
        <div className="field">
          <label htmlFor={fields.file.id}>CSV-fil</label>
          <p className="hint" id={`${fields.file.id}-hint`}>
            Semikolonavgränsad CSV med rubrikrad, högst 5 MB och {page.maxRows} rader. Spara från Excel som ”CSV (semikolonavgränsad)”.
          </p>
          <input
            key={fileKey}
            {...fileProps}
            accept=".csv,text/csv"
            aria-describedby={[`${fields.file.id}-hint`, fields.file.errors?.length ? fields.file.errorId : null].filter(Boolean).join(" ")}
          />
          <div id={fields.file.errorId}>
            {fields.file.errors?.map((e) => (
              <p key={e} className="field-error">
                {e}
              </p>
            ))}
          </div>
        </div>
        <div>
          <SubmitButton className="button" busy={navigation.state === "submitting"}>
            {navigation.state === "submitting" ? "Läser in…" : "Läs in"}
          </SubmitButton>
        </div>
      </Form>

      {rowErrors.length ? (
        <section aria-labelledby="row-errors-heading">
          <h2 id="row-errors-heading">Rader med fel</h2>
          <TableWrap label="Rader i filen som har fel">
            <table>
              <caption className="visually-hidden">Rader i filen som har fel</caption>
              <thead>
                <tr>
                  <th scope="col" className="num">
                    Rad
                  </th>
                  <th scope="col">Vad som är fel</th>
                </tr>
              </thead>
              <tbody>
                {rowErrors.slice(0, SHOWN_ROW_ERRORS).map((r) => (
                  <tr key={r.line}>
                    <th scope="row" className="num">
                      {r.line}
                    </th>
                    <td>
                      {r.messages.length === 1 ? (
                        r.messages[0]
                      ) : (
                        <ul className="row-error-list">
                          {r.messages.map((m) => (
                            <li key={m}>{m}</li>
                          ))}
                        </ul>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableWrap>
          {rowErrors.length > SHOWN_ROW_ERRORS ? (
            <p>Ytterligare {rowErrors.length - SHOWN_ROW_ERRORS} rader har fel. Rätta de ovan först och läs in filen igen.</p>
          ) : null}
        </section>
      ) : null}

      <section aria-labelledby="columns-heading">
        <h2 id="columns-heading">Så ska filen se ut</h2>
        <p>
          Första raden är en rubrikrad med kolumnnamnen nedan, i valfri ordning. Kolumnerna märkta ”Frivillig” får utelämnas. Varje
          följande rad är en deltagare. <a href="/deltagare/import/mall.csv">Ladda ner en mall (CSV)</a>.
        </p>
        <dl className="import-columns panel">
          {page.columns.map((c) => (
            <div key={c.header}>
              <dt>
                {c.header} <span className={c.required ? "badge" : "badge badge--optional"}>{c.required ? "Krävs" : "Frivillig"}</span>
              </dt>
              <dd>{c.help}</dd>
            </div>
          ))}
        </dl>
        <ul>
          <li>Hela filen kontrolleras först. Har någon rad fel läses ingenting in, och du får en lista över raderna som ska rättas.</li>
          <li>
            En deltagare som redan finns i kommunen (samma e-postadress) uppdateras i stället för att läggas till igen. Tomma celler i de
            frivilliga kolumnerna ändrar inte det som redan är sparat.
          </li>
          <li>En fil som exporterats från deltagarlistan kan läsas in igen; maskerade personnummer lämnas orörda.</li>
        </ul>
      </section>
    </div>
  );
}

export const ErrorBoundary = RouteErrorBoundary;
