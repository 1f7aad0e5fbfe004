import { notFound } from "next/navigation";

/**
 * Any address no other route answers. Without this, Next serves its prerendered 404 page, whose HTML cannot carry
 * the per-request CSP nonce proxy.ts sends for such paths (its scripts would be refused). Rendering the not-found
 * page here, per request, gives it the nonce.
 */
export const dynamic = "force-dynamic";

export default function MissingPage(): never {
  notFound();
}
