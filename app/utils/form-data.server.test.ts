import { describe, expect, it } from "vitest";
import { FORM_MESSAGES, readFormData } from "./form-data.server";

const post = (body: string) => new Request("http://portal.test/", { method: "POST", headers: { "Content-Type": "application/x-www-form-urlencoded" }, body });

async function refusal(request: Request): Promise<{ status: number; text: string }> {
  try {
    await readFormData(request);
  } catch (thrown) {
    if (thrown instanceof Response) return { status: thrown.status, text: await thrown.text() };
    throw thrown;
  }
  throw new Error("the form was accepted");
}

describe("the one form reader", () => {
  it("reads an ordinary form, Swedish letters included", async () => {
    const form = await readFormData(post("endReason=Flyttat%20fr%C3%A5n%20kommunen&intent=end"));
    expect(form.get("endReason")).toBe("Flyttat från kommunen");
  });

  // Found by the HTTP fuzz on PostgreSQL (2026-11-29): an end reason with %00 reached the database, which refused it with a 500.
  it("refuses a value or a name with a null character, in Swedish, before any action sees it", async () => {
    expect(await refusal(post("intent=end&endReason=a%00b"))).toEqual({ status: 400, text: FORM_MESSAGES.nullCharacter });
    expect(await refusal(post("end%00Reason=x"))).toEqual({ status: 400, text: FORM_MESSAGES.nullCharacter });
  });
});
