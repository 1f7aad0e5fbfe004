import { route } from "@/lib/http/route";

export const dynamic = "force-dynamic";

/**
 * Who is signed in, for the header and footer (components/layout/current-user.tsx). The pages themselves do not
 * read the session, so the public ones can be served from Next's page cache; this small answer is never cached
 * (next.config.ts: no-store on /api). Name, role and zone only: the header needs nothing else.
 */
export const GET = route("public", async ({ user }) => ({
  user: user ? { name: user.name, role: user.role, timeZone: user.timeZone } : null,
}));
