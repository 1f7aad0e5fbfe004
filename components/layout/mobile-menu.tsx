"use client";

import { usePathname } from "next/navigation";
import { useEffect, useRef } from "react";

/**
 * The header's menu on small screens: a native <details> disclosure (works before hydration, keyboard and screen
 * reader friendly), closed again after each client-side navigation because the layout itself stays mounted.
 */
export function MobileMenu({ children }: { children: React.ReactNode }) {
  const ref = useRef<HTMLDetailsElement>(null);
  const pathname = usePathname();
  useEffect(() => {
    if (ref.current) ref.current.open = false;
  }, [pathname]);
  return (
    <details ref={ref} className="group md:hidden" data-testid="mobile-menu">
      <summary className="flex cursor-pointer list-none items-center gap-2 rounded-md border border-slate-300 px-3 py-1.5 text-sm font-medium text-slate-700 [&::-webkit-details-marker]:hidden">
        <span aria-hidden className="text-base leading-none">☰</span> Menu
      </summary>
      {/* A link to the page already shown changes no pathname: close on any link click too. */}
      <div
        className="absolute inset-x-0 top-full z-20 border-b border-slate-200 bg-white px-4 py-3 shadow-lg"
        onClick={(event) => {
          if ((event.target as Element).closest("a") && ref.current) ref.current.open = false;
        }}
      >
        {children}
      </div>
    </details>
  );
}
