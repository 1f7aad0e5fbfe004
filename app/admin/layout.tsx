import { requirePageUser } from "@/lib/auth/session";

/** Every page under /admin is for admins only, checked on the server. */
export default async function AdminLayout({ children }: { children: React.ReactNode }) {
  await requirePageUser(["ADMIN"], "/admin/operations");
  return children;
}
