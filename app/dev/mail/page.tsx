import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { Card, EmptyState, PageHeader } from "@/components/ui";
import { devMailboxEnabled } from "@/lib/emulators/mail/access";
import { readAllMessages } from "@/lib/emulators/mail/mailbox";

export const metadata: Metadata = { title: "Dev mailbox" };
export const dynamic = "force-dynamic";

/** Every message the local mail catcher caught (development only; see lib/emulators/mail). */
export default async function DevMailboxPage() {
  if (!devMailboxEnabled()) notFound();
  const messages = await readAllMessages();
  return (
    <div className="mx-auto max-w-3xl">
      <PageHeader title="Dev mailbox" description="Mail the app sent, caught by the local SMTP server (.data/mail). Newest first." />
      {messages.length === 0 ? (
        <EmptyState title="No mail yet">Book a session and the confirmation lands here.</EmptyState>
      ) : (
        <Card>
          <ul className="divide-y divide-slate-200" data-testid="mail-list">
            {messages.map((m) => (
              <li key={m.id} className="py-3" data-testid="mail-item">
                <Link href={`/dev/mail/${encodeURIComponent(m.id)}`} className="block hover:bg-slate-50">
                  <p className="font-medium text-slate-900" data-testid="mail-subject">{m.subject}</p>
                  <p className="text-sm text-slate-600">
                    to <span data-testid="mail-to">{m.to.join(", ")}</span> · {m.date?.toISOString().replace("T", " ").slice(0, 19)} UTC
                    {m.attachments.some((a) => a.contentType === "text/calendar") ? " · 📅 invite" : ""}
                  </p>
                </Link>
              </li>
            ))}
          </ul>
        </Card>
      )}
    </div>
  );
}
