/**
 * A small, phone-friendly layout for both parts of every mail: one column (max 560 px), system fonts, large tap
 * targets, and a plain-text twin with the same facts. Content is escaped; nothing but the booking link leaves
 * our ids or secrets.
 */
export interface MailContent {
  subject: string;
  heading: string;
  intro: string;
  /** Label/value rows (e.g. "When", "Coach"). */
  facts: [string, string][];
  /** Further paragraphs. */
  notes?: string[];
  action?: { label: string; url: string };
  secondaryLinks?: { label: string; url: string }[];
}

export interface RenderedMail {
  subject: string;
  text: string;
  html: string;
}

const escape = (value: string) => value.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);

export function renderMail(content: MailContent): RenderedMail {
  const text = [
    content.heading,
    "",
    content.intro,
    "",
    ...content.facts.map(([label, value]) => `${label}: ${value}`),
    ...(content.notes?.length ? ["", ...content.notes] : []),
    ...(content.action ? ["", `${content.action.label}: ${content.action.url}`] : []),
    ...(content.secondaryLinks ?? []).map((l) => `${l.label}: ${l.url}`),
    "",
    "— Coachbook",
  ].join("\n");

  const rows = content.facts
    .map(([label, value]) => `<tr><td style="padding:6px 12px 6px 0;color:#64748b;vertical-align:top;white-space:nowrap">${escape(label)}</td><td style="padding:6px 0;font-weight:600">${escape(value)}</td></tr>`)
    .join("");
  const notes = (content.notes ?? []).map((n) => `<p style="margin:16px 0 0">${escape(n)}</p>`).join("");
  const action = content.action
    ? `<p style="margin:24px 0 0"><a href="${escape(content.action.url)}" style="display:inline-block;background:#4f46e5;color:#ffffff;text-decoration:none;padding:12px 20px;border-radius:8px;font-weight:600">${escape(content.action.label)}</a></p>`
    : "";
  const links = (content.secondaryLinks ?? []).map((l) => `<a href="${escape(l.url)}" style="color:#4f46e5">${escape(l.label)}</a>`).join(" &middot; ");
  const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escape(content.subject)}</title></head>
<body style="margin:0;padding:0;background:#f1f5f9;font-family:-apple-system,BlinkMacSystemFont,'Segoe UI',Roboto,Helvetica,Arial,sans-serif;color:#0f172a;font-size:16px;line-height:1.5">
<div style="max-width:560px;margin:0 auto;padding:24px 16px">
<div style="background:#ffffff;border-radius:12px;padding:24px">
<h1 style="margin:0 0 12px;font-size:22px;line-height:1.3">${escape(content.heading)}</h1>
<p style="margin:0 0 16px">${escape(content.intro)}</p>
<table role="presentation" style="border-collapse:collapse;width:100%">${rows}</table>
${notes}${action}${links ? `<p style="margin:16px 0 0;font-size:14px">${links}</p>` : ""}
</div>
<p style="margin:16px 0 0;font-size:12px;color:#64748b;text-align:center">Coachbook</p>
</div></body></html>`;
  return { subject: content.subject, text, html };
}
