/**
 * The one way an action reads a posted body. Forms are parsed as a stream
 * (busboy) under limits on their shape, so a body no form of ours could send
 * is refused before Conform or zod see it, at a cost that does not grow with
 * what the sender piles on: the parse stops at the first limit passed.
 *
 * Why the limits matter: Conform merges repeated names by copying the array
 * of earlier values (quadratic in the repeats), and a list index in a name
 * (`rows[50000000].x`) makes it build a sparse array that zod then walks
 * element by element. `request.formData()` itself holds every field of a
 * 5 MB body in memory. An eslint rule keeps routes from reading bodies any
 * other way.
 */
import type { Readable } from "node:stream";
import busboy from "busboy";

/** Fields in one form. The largest real form, an attendance sheet of 500 rows, has about 2 000. */
export const MAX_FIELDS = 4000;
/** Values posted under one name (the longest real list: partner municipalities' checkboxes, at most 300). */
export const MAX_VALUES_PER_NAME = 1000;
/** A list index in a field name (`rows[12].hours`); real lists stop at 500. */
export const MAX_LIST_INDEX = 1000;
/** A field name (the longest real one, `rows[499].participantId`, has 24 characters). */
export const MAX_NAME_BYTES = 200;
/** One field's value (the longest real text, a programme's description, is 5 000 characters). */
export const MAX_FIELD_BYTES = 100 * 1024;
/** A whole form without files. */
export const MAX_FORM_BYTES = 1024 * 1024;
/** The largest file any upload takes (a session's material; the CSV import takes 5 MB). */
export const MAX_UPLOAD_BYTES = 20 * 1024 * 1024;
/** An upload's fields and multipart framing beside its file. */
const UPLOAD_FRAMING_BYTES = 64 * 1024;
/** The largest body the server reads at all: the largest upload and its framing (checked in server/app.ts). */
export const MAX_BODY_BYTES = MAX_UPLOAD_BYTES + UPLOAD_FRAMING_BYTES;

export const FORM_MESSAGES = {
  tooLarge: `Formuläret är för stort (högst ${MAX_FORM_BYTES / 1024 / 1024} MB). Ladda om sidan och skicka det igen.`,
  tooManyFields: "Formuläret har fler fält än något formulär i portalen. Ladda om sidan och skicka det igen.",
  badName: "Formuläret har ett fält som inget formulär i portalen har. Ladda om sidan och skicka det igen.",
  fieldTooLong: `Ett fält är för långt (högst ${MAX_FIELD_BYTES / 1024} kB). Korta texten och skicka igen.`,
  unreadable: "Formuläret kunde inte läsas. Ladda om sidan och skicka det igen.",
  wrongType: "Formuläret skickades i ett format som portalen inte tar emot. Ladda om sidan och skicka det igen.",
  noFiles: "Formuläret tar inte emot filer. Ladda om sidan och skicka det igen.",
  nullCharacter: "Ett fält innehåller ett osynligt tecken (ett nolltecken) som inte kan sparas. Skriv in texten igen och skicka.",
} as const;

/** The upload passed its byte limit; the chunks handed to `receive` end with this error. */
export class FileTooLargeError extends Error {
  constructor() {
    super("file too large");
  }
}

interface UploadOptions<T> {
  /** The file input's name; other files are refused. */
  field: string;
  maxBytes: number;
  /** Reads the file as it arrives; past `maxBytes` the chunks end with a FileTooLargeError. It may stop reading early. */
  receive: (file: AsyncIterable<Uint8Array>, info: { filename: string }) => Promise<T>;
}

/** The posted form of an action: fields only, within the limits above, or a thrown 4xx Response. */
export async function readFormData(request: Request): Promise<FormData> {
  return (await parseBody<never>(request, null)).fields;
}

/**
 * A multipart form with one file, which `receive` reads as a stream while it
 * arrives (never held whole in memory). `file` is null when no file was chosen.
 */
export async function readUpload<T>(request: Request, upload: UploadOptions<T>): Promise<{ fields: FormData; file: T | null }> {
  return parseBody(request, upload);
}

const megabytes = (bytes: number) => `${Math.round(bytes / 1024 / 1024)} MB`;

/** The answer to a file over its upload's limit. */
export const fileTooLargeMessage = (maxBytes: number) => `Filen är för stor (högst ${megabytes(maxBytes)}).`;

const refuse = (status: number, message: string) => new Response(message, { status, headers: { "Content-Type": "text/plain; charset=utf-8" } });

const FORM_TYPE = /^\s*(application\/x-www-form-urlencoded|multipart\/form-data)\s*(;|$)/i;
const MULTIPART_TYPE = /^\s*multipart\/form-data\s*(;|$)/i;
const LIST_INDEX = /\[(\d+)\]/g;

function nameProblem(name: string): string | null {
  for (const [, index] of name.matchAll(LIST_INDEX)) {
    if (index.length > 4 || Number(index) > MAX_LIST_INDEX) return FORM_MESSAGES.badName;
  }
  return null;
}

async function parseBody<T>(request: Request, upload: UploadOptions<T> | null): Promise<{ fields: FormData; file: T | null }> {
  const type = request.headers.get("content-type") ?? "";
  const declared = Number(request.headers.get("content-length") ?? 0);
  // Only a multipart body can carry the file; any other form keeps the limit of a form.
  if (!MULTIPART_TYPE.test(type)) upload = null;
  const maxBytes = upload ? upload.maxBytes + UPLOAD_FRAMING_BYTES : MAX_FORM_BYTES;
  const tooLarge = upload ? fileTooLargeMessage(upload.maxBytes) : FORM_MESSAGES.tooLarge;
  if (!FORM_TYPE.test(type)) throw discardBody(request, refuse(415, FORM_MESSAGES.wrongType));
  if (declared > maxBytes) throw discardBody(request, refuse(413, tooLarge));

  let parser: busboy.Busboy;
  try {
    parser = busboy({
      headers: { "content-type": type },
      // Browsers send a file's name as UTF-8 (busboy would read it as Latin-1).
      defParamCharset: "utf8",
      limits: {
        fields: MAX_FIELDS,
        parts: MAX_FIELDS + 1,
        files: upload ? 1 : 0,
        fieldNameSize: MAX_NAME_BYTES,
        fieldSize: MAX_FIELD_BYTES,
        fileSize: upload?.maxBytes ?? 0,
      },
    });
  } catch {
    throw discardBody(request, refuse(400, FORM_MESSAGES.unreadable));
  }

  const fields = new FormData();
  const valuesPerName = new Map<string, number>();
  let received: Promise<T> | null = null;
  let receivedEarly = false;
  let failure: Response | null = null;
  const fail = (response: Response) => {
    failure ??= response;
  };

  parser.on("field", (name, value, info) => {
    if (failure) return;
    if (info.nameTruncated) return fail(refuse(413, FORM_MESSAGES.badName));
    if (info.valueTruncated) return fail(refuse(413, FORM_MESSAGES.fieldTooLong));
    const count = (valuesPerName.get(name) ?? 0) + 1;
    valuesPerName.set(name, count);
    if (count > MAX_VALUES_PER_NAME) return fail(refuse(413, FORM_MESSAGES.tooManyFields));
    const problem = nameProblem(name);
    if (problem) return fail(refuse(413, problem));
    // No text a person types holds U+0000, and PostgreSQL cannot store it: refused here for every form.
    if (value.includes("\u0000") || name.includes("\u0000")) return fail(refuse(400, FORM_MESSAGES.nullCharacter));
    fields.append(name, value);
  });
  parser.on("file", (name, stream, info) => {
    // A file input left empty still sends a part, with no file name.
    if (failure || !upload || name !== upload.field || received || !info.filename) {
      if (upload && name !== upload.field) fail(refuse(400, FORM_MESSAGES.unreadable));
      stream.resume();
      return;
    }
    let fileEnded = false;
    stream.once("end", () => (fileEnded = true));
    // The receiver hears of a broken upload through its chunks; once it has stopped reading, nobody needs to.
    stream.on("error", () => {});
    received = upload.receive(chunksOf(stream), { filename: info.filename }).finally(() => {
      // A receiver that has its answer before the file ended needs no more of the body: skip it unparsed.
      if (!fileEnded) receivedEarly = true;
      stream.resume();
    });
    // Settled below; until then a rejection is not unhandled.
    received.catch(() => {});
  });
  parser.on("fieldsLimit", () => fail(refuse(413, FORM_MESSAGES.tooManyFields)));
  parser.on("partsLimit", () => fail(refuse(413, FORM_MESSAGES.tooManyFields)));
  parser.on("filesLimit", () => fail(refuse(400, upload ? FORM_MESSAGES.unreadable : FORM_MESSAGES.noFiles)));

  const finished = new Promise<void>((resolve, reject) => {
    parser.once("close", resolve);
    parser.once("error", reject);
  });
  finished.catch(() => {});

  const reader = request.body?.getReader();
  let bytes = 0;
  try {
    while (reader && !failure && !receivedEarly) {
      const { done, value } = await reader.read();
      if (done) break;
      bytes += value.byteLength;
      if (bytes > maxBytes) {
        fail(refuse(413, tooLarge));
        break;
      }
      // Respect the parser's back-pressure: the file's reader may be slower than the network.
      if (!parser.write(value)) await Promise.race([new Promise((r) => parser.once("drain", r)), finished]);
    }
    if (receivedEarly) {
      void drain(reader!);
    } else if (!failure) {
      parser.end();
      await finished;
    }
  } catch {
    fail(refuse(400, FORM_MESSAGES.unreadable));
  }
  if (failure) {
    parser.destroy();
    if (reader) void drain(reader);
    // A receiver still reading has lost its input; its result no longer matters.
    throw failure;
  }
  return { fields, file: received ? await received : null };
}

/**
 * The file's chunks. The stream is never destroyed (busboy would then wait for
 * its end forever): a receiver that stops early leaves the rest to be skipped.
 */
async function* chunksOf(stream: Readable & { truncated?: boolean }): AsyncGenerator<Uint8Array> {
  for await (const chunk of stream.iterator({ destroyOnReturn: false })) {
    if (stream.truncated) throw new FileTooLargeError();
    yield chunk as Uint8Array;
  }
}

/**
 * Answers without parsing, but reads the rest of the body so the connection
 * can carry the answer (its size was capped by server/app.ts).
 */
function discardBody(request: Request, response: Response): Response {
  const reader = request.body?.getReader();
  if (reader) void drain(reader);
  return response;
}

async function drain(reader: ReadableStreamDefaultReader<Uint8Array>): Promise<void> {
  try {
    while (!(await reader.read()).done) {
      // discarded
    }
  } catch {
    // The client went away; nothing to answer.
  }
}
