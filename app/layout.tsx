import type { Metadata } from "next";
import "./globals.css";
import { FooterZone, SiteHeader } from "@/components/layout/site-header";

// The layout reads no session or request data: public pages (landing, coach pages) can be prerendered and served
// from Next's page cache. The signed-in part of the header is filled in by the browser (components/layout).

export const metadata: Metadata = {
  title: { default: "Coachbook", template: "%s · Coachbook" },
  description: "Book and pay for coaching sessions with independent coaches.",
  icons: { icon: "/favicon.svg" },
};

export default function RootLayout({ children }: { children: React.ReactNode }) {
  return (
    <html lang="en">
      <body className="min-h-screen flex flex-col">
        <a href="#main" className="sr-only focus:not-sr-only focus:absolute focus:left-4 focus:top-4 rounded bg-white px-3 py-2 shadow">
          Skip to content
        </a>
        <SiteHeader />
        <main id="main" className="mx-auto w-full max-w-5xl flex-1 px-4 py-6 sm:px-6 sm:py-10">
          {children}
        </main>
        <footer className="border-t border-slate-200 bg-white px-4 py-6 text-center text-xs text-slate-600">
          Coachbook · <FooterZone />
        </footer>
      </body>
    </html>
  );
}
