import { NextResponse } from "next/server";
import { route } from "@/lib/http/route";
import { queueHealth } from "@/lib/ops/overview";
import { log } from "@/lib/log";

export const dynamic = "force-dynamic";

/** Load balancers and operators: the database answers, and how deep the job queue is. 503 when the database is down. */
export const GET = route("public", async () => {
  try {
    const queue = await queueHealth();
    return { ok: true, database: "up", queue };
  } catch (error) {
    log.error("health check: database unreachable", { error });
    return NextResponse.json({ ok: false, database: "down" }, { status: 503 });
  }
});
