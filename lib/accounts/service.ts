import bcrypt from "bcryptjs";
import { revalidateCoachPages } from "@/lib/coaches/page-cache";
import { db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { isUniqueViolation } from "@/lib/db/errors";
import type { Role } from "@/lib/generated/prisma/enums";
import type { SignUpInput } from "./schemas";

const BCRYPT_COST = process.env.NODE_ENV === "production" ? 12 : 10;

export async function hashPassword(password: string) {
  return bcrypt.hash(password, BCRYPT_COST);
}

export function slugify(text: string) {
  return (
    text
      .normalize("NFKD")
      .replace(/[\u0300-\u036f]/g, "")
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-+|-+$/g, "")
      .slice(0, 40) || "coach"
  );
}

export interface AccountSummary {
  id: string;
  email: string;
  name: string;
  role: Role;
  timeZone: string;
}

export interface VerifiedAccount extends AccountSummary {
  sessionVersion: number;
}

/**
 * Creates the user (and, for coaches, the coach profile) in one transaction, so a failure leaves nothing
 * half-written. A duplicate email is a clear 409, detected by the unique index rather than a racy pre-check.
 */
export async function createAccount(input: SignUpInput): Promise<AccountSummary> {
  const passwordHash = await hashPassword(input.password);
  // A second attempt only for a coach whose readable slug was taken in a race: it then gets a unique suffix.
  for (let attempt = 0; ; attempt++) {
    try {
      const account = await db.$transaction(async (tx) => {
        const user = await tx.user.create({
          data: { email: input.email, name: input.name, passwordHash, role: input.role, timeZone: input.timeZone },
        });
        if (input.role === "COACH") {
          const base = slugify(input.name);
          const plainFree = attempt === 0 && (await tx.coachProfile.count({ where: { slug: base } })) === 0;
          await tx.coachProfile.create({ data: { userId: user.id, slug: plainFree ? base : `${base}-${user.id.slice(-6)}`, timeZone: input.timeZone } });
        }
        return { id: user.id, email: user.email, name: user.name, role: user.role, timeZone: user.timeZone };
      });
      // A new coach appears in the landing page's list.
      if (account.role === "COACH") revalidateCoachPages(null);
      return account;
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      if (await db.user.findUnique({ where: { email: input.email }, select: { id: true } })) {
        throw new AppError("EMAIL_TAKEN", "An account with this email already exists. Sign in instead.", { fields: { email: "An account with this email already exists." } });
      }
      if (attempt >= 1) throw error;
    }
  }
}

// Compared against when the email is unknown, with the same cost as real hashes, so response time does not
// reveal which emails exist.
let dummyHash: Promise<string> | undefined;
const getDummyHash = () => (dummyHash ??= bcrypt.hash("coachbook-no-such-user", BCRYPT_COST));

export async function verifyCredentials(email: string, password: string): Promise<VerifiedAccount | null> {
  const user = await db.user.findUnique({ where: { email: email.trim().toLowerCase() } });
  const ok = await bcrypt.compare(password, user?.passwordHash ?? (await getDummyHash()));
  if (!user || !ok || user.disabledAt) return null;
  return { id: user.id, email: user.email, name: user.name, role: user.role, timeZone: user.timeZone, sessionVersion: user.sessionVersion };
}
