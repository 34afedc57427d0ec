import { SubmitButton } from "~/components/submit-button";
import { RouteErrorBoundary } from "~/components/route-error";
import { getFormProps, getInputProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { requireUserContext } from "~/auth/session.server";
import { FormErrors, replyMessages, TextField, unshownErrors, useEntryFormKey } from "~/components/form";
import { MaterialList } from "~/components/material-list";
import { getMaterialPage, postSessionMaterial } from "~/domain/session-material.server";
import { MAX_MATERIAL_BYTES, materialPostSchema } from "~/schemas/material";
import { materialText } from "~/ui/material";
import { refusalReply } from "~/utils/action-result.server";
import { formatTimeRange, formatWeekdayDate } from "~/utils/format";
import { readUpload } from "~/utils/form-data.server";
import { idParam } from "~/utils/params";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `Material till ${data.session.title} – Programportalen` : "Material – Programportalen" }];

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const ctx = await requireUserContext(request, context);
  return getMaterialPage(ctx, idParam(params.sessionId));
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const ctx = await requireUserContext(request, context);
  const sessionId = idParam(params.sessionId);
  let fields = new FormData();
  // The domain checks the caller before a byte of the body is read; a file goes to disk as it arrives.
  const result = await postSessionMaterial(ctx, sessionId, context.config.materialDir, async (store) => {
    const upload = await readUpload(request, { field: "file", maxBytes: MAX_MATERIAL_BYTES, receive: store });
    fields = upload.fields;
    return { posted: parseWithZod(fields, { schema: materialPostSchema }), file: upload.file };
  });
  if (!result.ok) {
    const submission = parseWithZod(fields, { schema: materialPostSchema });
    const { reply, status } = refusalReply(submission, result);
    return json({ intent: fields.get("intent"), reply }, { status });
  }
  return redirect(`/trafar/${sessionId}/material?${result.value === "remove" ? "borttaget" : result.value === "link" ? "lank" : "fil"}=1`);
}

const FLASHES: Record<string, string> = { lank: materialText.flashes.link, fil: materialText.flashes.file, borttaget: materialText.flashes.remove };

export default function SessionMaterial() {
  const { session, cohort, material } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const [searchParams] = useSearchParams();
  const entryKey = useEntryFormKey();
  const flash = Object.keys(FLASHES).find((key) => searchParams.has(key));
  const submitting = navigation.state === "submitting";
  const submittedIntent = navigation.formData?.get("intent");

  const [fileForm, fileFields] = useForm({
    // A new id per navigation: after a save, the form starts over without the last attempt's errors.
    id: `material-file-${entryKey}`,
    lastResult: actionData && actionData.intent !== "link" && actionData.intent !== "remove" ? actionData.reply : undefined,
    shouldValidate: "onSubmit",
  });
  const [linkForm, linkFields] = useForm({
    id: `material-link-${entryKey}`,
    lastResult: actionData?.intent === "link" ? actionData.reply : undefined,
    shouldValidate: "onBlur",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: materialPostSchema }),
  });
  const { key: fileKey, ...fileProps } = getInputProps(fileFields.file, { type: "file", ariaAttributes: true });
  // A refused removal has no form of its own to stand in; anything else (a tampered intent too) is shown on the file form.
  const removeErrors = actionData?.intent === "remove" ? replyMessages(actionData.reply) : [];

  return (
    <div className="page">
      <nav aria-label="Du är här" className="breadcrumbs">
        <ol>
          <li>
            <Link to={`/omgangar/${cohort.id}/trafar`}>
              Träffar i {cohort.programmeName}, {cohort.name}
            </Link>
          </li>
          <li>
            <Link to={`/trafar/${session.id}`}>{session.title}</Link>
          </li>
          <li aria-current="page">Material</li>
        </ol>
      </nav>
      <h1>Material till {session.title}</h1>
      <p className="lead">
        {formatWeekdayDate(session.startsAt)}, {formatTimeRange(session.startsAt, session.endsAt)}. Omgångens deltagare ser materialet på träffen
        och på sin översikt.
      </p>
      <div role="status">{flash ? <div className="alert alert--success">{FLASHES[flash]}</div> : null}</div>
      {removeErrors.length ? (
        <div className="alert alert--error" role="alert">
          {removeErrors.join(" ")}
        </div>
      ) : null}

      <section aria-labelledby="material-heading">
        <h2 id="material-heading">{materialText.heading}</h2>
        <MaterialList items={material}>
          {(item) => (
            <Form method="post" className="inline-form">
              <input type="hidden" name="materialId" value={item.id} />
              <SubmitButton name="intent" value="remove" className="button button--link" busy={submitting}>
                Ta bort<span className="visually-hidden"> {item.title}</span>
              </SubmitButton>
            </Form>
          )}
        </MaterialList>
      </section>

      <section aria-labelledby="add-file-heading">
        <h2 id="add-file-heading">Lägg till en fil</h2>
        {/* Keyed per navigation: after a file is added, the form is empty for the next one. */}
        <Form key={`file-${entryKey}`} method="post" encType="multipart/form-data" {...getFormProps(fileForm)} className="form panel">
          <FormErrors id={fileForm.errorId} errors={unshownErrors(fileForm, ["title", "file"])} />
          <input type="hidden" name="intent" value="file" />
          <TextField field={fileFields.title} label="Rubrik (valfri)" hint="Utan rubrik visas filens namn." />
          <div className="field">
            <label htmlFor={fileFields.file.id}>Fil</label>
            <p className="hint" id={`${fileFields.file.id}-hint`}>
              PDF, Word, Excel, PowerPoint eller en bild (PNG, JPEG, GIF, WebP), högst {MAX_MATERIAL_BYTES / 1024 / 1024} MB.
            </p>
            <input
              key={fileKey}
              {...fileProps}
              accept=".pdf,.docx,.xlsx,.pptx,.png,.jpg,.jpeg,.gif,.webp"
              aria-describedby={[`${fileFields.file.id}-hint`, fileFields.file.errors?.length ? fileFields.file.errorId : null].filter(Boolean).join(" ")}
            />
            <div id={fileFields.file.errorId}>
              {fileFields.file.errors?.map((e) => (
                <p key={e} className="field-error">
                  {e}
                </p>
              ))}
            </div>
          </div>
          <div>
            <SubmitButton className="button" busy={submitting}>
              {submitting && submittedIntent === "file" ? "Laddar upp…" : "Lägg till filen"}
            </SubmitButton>
          </div>
        </Form>
      </section>

      <section aria-labelledby="add-link-heading">
        <h2 id="add-link-heading">Lägg till en länk</h2>
        <Form key={`link-${entryKey}`} method="post" {...getFormProps(linkForm)} className="form panel">
          <FormErrors id={linkForm.errorId} errors={unshownErrors(linkForm, ["title", "url"])} />
          <input type="hidden" name="intent" value="link" />
          <TextField field={linkFields.title} label="Rubrik" hint="Vad länken leder till, till exempel ”Förberedande läsning”." required />
          <TextField field={linkFields.url} label="Länk" type="url" hint="En fullständig adress som börjar med https://." required />
          <div>
            <SubmitButton className="button" busy={submitting}>
              Lägg till länken
            </SubmitButton>
          </div>
        </Form>
      </section>
    </div>
  );
}

export const ErrorBoundary = RouteErrorBoundary;
