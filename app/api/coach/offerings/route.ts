import { NextResponse } from "next/server";
import { offeringCreateSchema } from "@/lib/coaches/offering-schemas";
import { createOffering, listOfferings } from "@/lib/coaches/offering-service";
import { parseJson, route } from "@/lib/http/route";

/** The signed-in coach's offerings, inactive ones included. */
export const GET = route("COACH", async ({ user }) => ({ offerings: await listOfferings(user.id) }));

export const POST = route("COACH", async ({ req, user }) => {
  const input = await parseJson(req, offeringCreateSchema);
  return NextResponse.json({ offering: await createOffering(user.id, input) }, { status: 201 });
});
