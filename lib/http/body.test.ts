import { describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors";
import { readBodyText } from "./body";

function streamed(chunks: Uint8Array[], failAfter?: number): Request {
  let i = 0;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (failAfter !== undefined && i === failAfter) return controller.error(Object.assign(new Error("aborted"), { code: "ECONNRESET" }));
      if (i >= chunks.length) return controller.close();
      controller.enqueue(chunks[i++]);
    },
  });
  return new Request("http://localhost/x", { method: "POST", body, duplex: "half" } as RequestInit);
}

describe("readBodyText", () => {
  it("decodes UTF-8 split across chunks (a character cut in two is not mangled)", async () => {
    const bytes = new TextEncoder().encode('{"name":"Zoë 🧘"}');
    const cut = bytes.indexOf(0xf0) + 2; // inside the 4-byte emoji
    expect(await readBodyText(streamed([bytes.slice(0, cut), bytes.slice(cut)]), 1_000)).toBe('{"name":"Zoë 🧘"}');
  });

  it("counts bytes, not characters, against the limit", async () => {
    const text = "é".repeat(60); // 120 bytes
    await expect(readBodyText(streamed([new TextEncoder().encode(text)]), 100)).rejects.toMatchObject({ code: "PAYLOAD_TOO_LARGE" });
    expect(await readBodyText(streamed([new TextEncoder().encode(text)]), 120)).toBe(text);
  });

  it("turns a stream that fails mid-body into REQUEST_ABORTED", async () => {
    const error = await readBodyText(streamed([new Uint8Array([0x7b])], 1), 1_000).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe("REQUEST_ABORTED");
    expect((error as AppError).status).toBe(400);
  });

  it("reads no body as empty text", async () => {
    expect(await readBodyText(new Request("http://localhost/x", { method: "POST" }), 10)).toBe("");
  });
});
