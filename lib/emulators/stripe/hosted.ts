import type { EmulatorContext } from "./context";
import type { FormObject } from "./form";
import { formatAmount } from "./money";
import { paySession, sweepExpiredSessions, type PayOptions } from "./resources/checkout";
import type { CheckoutSessionObject } from "./types";

/**
 * The emulator's stand-in for Stripe's hosted Checkout page: `GET /checkout/{id}` shows the line items and
 * total with a "Pay" form (`#pay`) and a "Cancel" form (`#cancel`). Both POST and answer 303 redirects, like
 * Stripe sending the customer back to `success_url` / `cancel_url`.
 */

export interface HttpReply {
  status: number;
  headers: Record<string, string>;
  body: string;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] as string);
}

function page(status: number, title: string, content: string): HttpReply {
  const body = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} · Stripe emulator</title>
<style>
  body { font-family: system-ui, sans-serif; max-width: 32rem; margin: 3rem auto; padding: 0 1rem; color: #1a1f36; }
  table { width: 100%; border-collapse: collapse; margin: 1rem 0; }
  td { padding: .4rem 0; border-bottom: 1px solid #e3e8ee; }
  td.amount { text-align: right; }
  #total { font-size: 1.25rem; font-weight: 600; }
  button { font-size: 1rem; padding: .6rem 1.2rem; border-radius: 6px; border: 1px solid #635bff; cursor: pointer; }
  #pay { background: #635bff; color: white; width: 100%; margin-top: 1rem; }
  #cancel { background: white; color: #635bff; width: 100%; margin-top: .5rem; }
  #error { color: #df1b41; font-weight: 600; }
  .test-mode { display: inline-block; background: #ffde92; color: #a04100; padding: .1rem .5rem; border-radius: 4px; font-size: .8rem; }
</style>
</head>
<body>
<main>
<p><span class="test-mode">TEST MODE</span></p>
${content}
</main>
</body>
</html>
`;
  return { status, headers: { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" }, body };
}

function redirect(location: string): HttpReply {
  return { status: 303, headers: { location, "cache-control": "no-store" }, body: "" };
}

function successLocation(session: CheckoutSessionObject): string {
  return (session.success_url ?? "/").split("{CHECKOUT_SESSION_ID}").join(session.id);
}

function notFound(): HttpReply {
  return page(404, "Not found", `<h1 id="status">Something went wrong</h1><p id="error">The page you were looking for could not be found.</p>`);
}

function expiredPage(session: CheckoutSessionObject): HttpReply {
  return page(
    410,
    "Session expired",
    `<h1 id="status" data-session-status="expired">Your checkout session has expired</h1>
<p id="error">This Checkout Session is no longer available; it expired at ${new Date(session.expires_at * 1000).toISOString()}.</p>`,
  );
}

function checkoutForm(ctx: EmulatorContext, session: CheckoutSessionObject, error?: string): string {
  const items = ctx.state.lineItems.get(session.id) ?? [];
  const rows = items
    .map(
      (li) =>
        `<tr class="line-item"><td class="name">${escapeHtml(li.description)}</td><td class="quantity">× ${li.quantity}</td><td class="amount">${escapeHtml(formatAmount(li.amount_total, li.currency))}</td></tr>`,
    )
    .join("\n");
  const total = formatAmount(session.amount_total, session.currency);
  const email = session.customer_details?.email ?? session.customer_email ?? "";
  // Absolute, from publicUrl: works behind a proxy prefix and whatever the page URL looked like.
  const base = escapeHtml(`${ctx.publicUrl}/checkout/${encodeURIComponent(session.id)}`);
  return `<h1 id="status" data-session-status="${session.status}">Checkout</h1>
${error ? `<p id="error" role="alert">${escapeHtml(error)}</p>` : ""}
<table id="line-items">
${rows}
</table>
<p id="total" data-amount="${session.amount_total}" data-currency="${session.currency}">Total due ${escapeHtml(total)}</p>
<form method="post" action="${base}/pay" id="pay-form">
  <label>Email <input type="email" name="email" id="email" value="${escapeHtml(email)}"></label>
  <p>Card <code>4242 4242 4242 4242</code> (test)</p>
  <button type="submit" id="pay">Pay ${escapeHtml(total)}</button>
</form>
<form method="post" action="${base}/cancel" id="cancel-form">
  <button type="submit" id="cancel">Cancel</button>
</form>`;
}

export function checkoutPage(ctx: EmulatorContext, sessionId: string): HttpReply {
  sweepExpiredSessions(ctx);
  const session = ctx.state.checkoutSessions.get(sessionId);
  if (!session) return notFound();
  if (session.status === "expired") return expiredPage(session);
  if (session.status === "complete") {
    return page(200, "Paid", `<h1 id="status" data-session-status="complete">Thanks for your payment</h1><p><a href="${escapeHtml(successLocation(session))}" id="continue">Continue</a></p>`);
  }
  return page(200, "Checkout", checkoutForm(ctx, session));
}

/** "Pay": form fields `email` and (test hook) `async=succeeded|failed` for a delayed-notification payment. */
export function payAction(ctx: EmulatorContext, sessionId: string, form: FormObject): HttpReply {
  if (!ctx.state.checkoutSessions.has(sessionId)) return notFound();
  const opts: PayOptions = {};
  if (typeof form.email === "string" && form.email.trim()) opts.email = form.email.trim();
  if (form.async === "succeeded" || form.async === "failed") opts.asyncPayment = form.async;
  const result = paySession(ctx, sessionId, opts);
  switch (result.outcome) {
    case "paid":
    case "processing":
    case "already_complete":
      return redirect(successLocation(result.session));
    case "expired":
      return expiredPage(result.session);
    case "declined":
      return page(402, "Payment declined", checkoutForm(ctx, result.session, result.error.message));
  }
}

/** "Cancel": back to `cancel_url`; the session stays open (Stripe does not expire it either). */
export function cancelAction(ctx: EmulatorContext, sessionId: string): HttpReply {
  const session = ctx.state.checkoutSessions.get(sessionId);
  if (!session) return notFound();
  if (session.cancel_url) return redirect(session.cancel_url.split("{CHECKOUT_SESSION_ID}").join(session.id));
  return page(200, "Canceled", `<h1 id="status" data-session-status="${session.status}">Payment canceled</h1><p>You can close this page.</p>`);
}
