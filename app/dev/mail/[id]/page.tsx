import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { Card, PageHeader } from "@/components/ui";
import { devMailboxEnabled } from "@/lib/emulators/mail/access";
import { readMessage } from "@/lib/emulators/mail/mailbox";

export const metadata: Metadata = { title: "Dev mailbox" };
export const dynamic = "force-dynamic";

type Props = { params: Promise<{ id: string }> };

/** One caught message: headers, the HTML part (in a sandboxed frame: no scripts, no same-origin), the text part, the invite. */
export default async function DevMessagePage({ params }: Props) {
  if (!devMailboxEnabled()) notFound();
  const { id } = await params;
  const message = await readMessage(decodeURIComponent(id));
  if (!message) notFound();
  return (
    <div className="mx-auto max-w-3xl">
      <PageHeader title={message.subject} description={`from ${message.from} to ${message.to.join(", ")}`} />
      {message.attachments.length ? (
        <p className="mb-4 flex flex-wrap gap-3 text-sm">
          {message.attachments.map((a, index) => (
            <a key={index} href={`/dev/mail/${encodeURIComponent(message.id)}/attachments/${index}`} className="font-medium text-brand-600 hover:underline" data-testid="mail-attachment" data-method={a.method ?? ""}>
              Download {a.filename}{a.method ? ` (${a.method})` : ""}
            </a>
          ))}
        </p>
      ) : null}
      {message.html ? (
        <Card className="mb-4">
          <iframe title="HTML part" sandbox="" srcDoc={message.html} className="h-[32rem] w-full rounded border border-slate-200" data-testid="mail-html" />
        </Card>
      ) : null}
      <Card>
        <pre className="whitespace-pre-wrap break-words text-sm" data-testid="mail-text">{message.text}</pre>
      </Card>
      <p className="mt-6 text-sm"><Link href="/dev/mail" className="font-medium text-brand-600 hover:underline">← All mail</Link></p>
    </div>
  );
}
