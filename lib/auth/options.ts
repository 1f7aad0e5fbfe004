import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { verifyCredentials } from "@/lib/accounts/service";
import { signInSchema } from "@/lib/accounts/schemas";
import { authSecret } from "@/lib/env";
import { decodeSessionToken, encodeSessionToken } from "./jwt";
import { recheckSession } from "./session-check";
import type { Role } from "@/lib/generated/prisma/enums";

declare module "next-auth" {
  interface Session {
    user: { id: string; name: string; email: string; role: Role; timeZone: string };
  }
  interface User {
    role: Role;
    timeZone: string;
    sessionVersion: number;
  }
}

declare module "next-auth/jwt" {
  interface JWT {
    uid?: string;
    role?: Role;
    timeZone?: string;
    sv?: number;
    checkedAt?: number;
  }
}

export function authOptions(): NextAuthOptions {
  return {
    secret: authSecret(),
    session: { strategy: "jwt", maxAge: 30 * 24 * 60 * 60 },
    // next-auth's token format, with the derived key kept between requests (lib/auth/jwt.ts).
    jwt: { encode: encodeSessionToken, decode: decodeSessionToken },
    pages: { signIn: "/signin" },
    providers: [
      CredentialsProvider({
        name: "Email and password",
        credentials: { email: { label: "Email", type: "email" }, password: { label: "Password", type: "password" } },
        async authorize(credentials) {
          const parsed = signInSchema.safeParse(credentials ?? {});
          if (!parsed.success) return null;
          const user = await verifyCredentials(parsed.data.email, parsed.data.password);
          return user ? { id: user.id, name: user.name, email: user.email, role: user.role, timeZone: user.timeZone, sessionVersion: user.sessionVersion } : null;
        },
      }),
    ],
    callbacks: {
      async jwt({ token, user }) {
        if (user) {
          token.uid = user.id;
          token.role = user.role;
          token.timeZone = user.timeZone;
          token.sv = user.sessionVersion;
          token.checkedAt = Date.now();
          return token;
        }
        // A disabled account, a deleted one or a newer session version ends the session (lib/auth/session-check.ts).
        const check = await recheckSession(token);
        if (check === null) return token;
        if (!check.ok) return { ...token, uid: undefined, role: undefined };
        return { ...token, role: check.role, checkedAt: check.checkedAt };
      },
      async session({ session, token }) {
        if (token.uid && token.role) {
          session.user = {
            id: token.uid,
            name: token.name ?? "",
            email: token.email ?? "",
            role: token.role,
            timeZone: token.timeZone ?? "UTC",
          };
        }
        return session;
      },
    },
  };
}
