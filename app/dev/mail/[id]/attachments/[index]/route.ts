import { assertDevMailbox } from "@/lib/emulators/mail/access";
import { caughtAttachment } from "@/lib/emulators/mail/mailbox";
import { route } from "@/lib/http/route";

/** GET: one attachment of a caught message (the invite), as a download. Development / DEV_MAILBOX=1 only. */
export const GET = route<{ id: string; index: string }>("public", async ({ params }) => {
  assertDevMailbox();
  const file = await caughtAttachment(decodeURIComponent(params.id), Number(params.index));
  return new Response(file.content, {
    headers: { "content-type": `${file.contentType}; charset=utf-8`, "content-disposition": `attachment; filename="${file.filename.replace(/[^\w.-]/g, "_")}"` },
  });
});
