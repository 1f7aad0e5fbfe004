import { z } from "zod";
import { timeZoneSchema } from "@/lib/time/zones";

export const emailSchema = z
  .string()
  .trim()
  .toLowerCase()
  .min(1, "Enter your email address.")
  .max(254, "That email address is too long.")
  .email("Enter a valid email address.");

export const signUpSchema = z.object({
  role: z.enum(["COACH", "STUDENT"], { message: "Choose coach or student." }),
  name: z.string().trim().min(2, "Enter your name (at least 2 characters).").max(100, "Keep the name under 100 characters."),
  email: emailSchema,
  password: z
    .string()
    .min(8, "Use at least 8 characters for the password.")
    .max(200, "Keep the password under 200 characters."),
  timeZone: timeZoneSchema,
});
export type SignUpInput = z.infer<typeof signUpSchema>;

export const signInSchema = z.object({
  email: emailSchema,
  password: z.string().min(1, "Enter your password.").max(200),
});
