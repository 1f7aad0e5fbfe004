"use client";

import { createContext, useContext, useState } from "react";
import { StatusBadge } from "@/components/booking/status-badge";
import type { BookingStatus } from "@/lib/generated/prisma/enums";

/** One status for the whole page, so the badge and the payment message never disagree while it changes. */
const StatusContext = createContext<{ status: BookingStatus; setStatus: (status: BookingStatus) => void } | null>(null);

export function BookingStatusProvider({ initial, children }: { initial: BookingStatus; children: React.ReactNode }) {
  const [status, setStatus] = useState(initial);
  return <StatusContext.Provider value={{ status, setStatus }}>{children}</StatusContext.Provider>;
}

export function useBookingStatus() {
  const value = useContext(StatusContext);
  if (!value) throw new Error("useBookingStatus outside BookingStatusProvider");
  return value;
}

export function LiveStatusBadge() {
  return <StatusBadge status={useBookingStatus().status} />;
}
