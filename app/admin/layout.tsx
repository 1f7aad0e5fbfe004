import { requirePageUser } from "@/lib/auth/session";

// Per request: it reads the session, and pages outside proxy.ts's cached public ones carry a per-request CSP nonce.
export const dynamic = "force-dynamic";

/** Every page under /admin is for admins only, checked on the server. */
export default async function AdminLayout({ children }: { children: React.ReactNode }) {
  await requirePageUser(["ADMIN"], "/admin/operations");
  return children;
}
