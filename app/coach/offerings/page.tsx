import type { Metadata } from "next";
import { PageHeader } from "@/components/ui";
import { requirePageUser } from "@/lib/auth/session";
import { listOfferings } from "@/lib/coaches/offering-service";
import { SUPPORTED_CURRENCIES } from "@/lib/money";
import { OfferingsManager } from "./offerings-manager";

export const metadata: Metadata = { title: "Offerings" };

export default async function CoachOfferingsPage() {
  const user = await requirePageUser(["COACH"], "/coach/offerings");
  const offerings = await listOfferings(user.id);
  // New offerings start in the currency the coach already uses.
  const defaultCurrency = offerings[0]?.currency ?? "usd";
  return (
    <div>
      <PageHeader title="Offerings" description="The sessions students can book: length and price. Inactive offerings are hidden from students; existing bookings keep their price." />
      <OfferingsManager initial={offerings} currencies={[...SUPPORTED_CURRENCIES]} defaultCurrency={defaultCurrency} />
    </div>
  );
}
