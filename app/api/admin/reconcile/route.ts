import { route } from "@/lib/http/route";
import { requestReconciliation } from "@/lib/ops/overview";

/** Admins: run the reconciler now (queued; the worker picks it up within seconds). */
export const POST = route("ADMIN", async () => requestReconciliation());
