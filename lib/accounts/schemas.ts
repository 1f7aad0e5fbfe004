import { z } from "zod";
import { timeZoneSchema } from "@/lib/time/zones";

export const emailSchema = z
  .string()
  .trim()
  .toLowerCase()
  .min(1, "Enter your email address.")
  .max(254, "That email address is too long.")
  .email("Enter a valid email address.");

/** bcrypt's input limit, in UTF-8 bytes. */
export const MAX_PASSWORD_BYTES = 72;

export const signUpSchema = z.object({
  role: z.enum(["COACH", "STUDENT"], { message: "Choose coach or student." }),
  name: z.string().trim().min(2, "Enter your name (at least 2 characters).").max(100, "Keep the name under 100 characters."),
  email: emailSchema,
  password: z
    .string()
    .min(8, "Use at least 8 characters for the password.")
    // bcrypt reads only the first 72 bytes: a longer password would be silently cut, so it is refused instead.
    .refine((value) => new TextEncoder().encode(value).length <= MAX_PASSWORD_BYTES, {
      message: `Keep the password to ${MAX_PASSWORD_BYTES} bytes (72 plain letters or digits; accented letters and emoji count as 2 to 4).`,
    }),
  timeZone: timeZoneSchema,
});
export type SignUpInput = z.infer<typeof signUpSchema>;

export const signInSchema = z.object({
  email: emailSchema,
  password: z.string().min(1, "Enter your password.").max(200),
});
