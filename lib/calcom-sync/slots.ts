import { LRUCache } from "lru-cache";
import { log } from "@/lib/log";
import { CircuitBreaker } from "./breaker";
import { calcomConfigured, getCalcomClient } from "./client";

/**
 * Cal.com's free slots for a synced coach's event type, as start instants (epoch ms), cached briefly per process.
 *
 * - The cache key holds the coach's `availabilityVersion` (bumped by database triggers on any booking, hold,
 *   availability, offering or sync change), read in the same round trip as the rules. So a change made through any
 *   app instance makes every instance miss on its next read: invalidation across instances without a shared cache.
 *   The TTL bounds what we cannot see (the coach's outside calendars changing in Cal.com).
 * - Concurrent misses for one key share one Cal.com call.
 * - A slow or failing Cal.com opens a circuit breaker (per process, see breaker.ts), and the caller falls back to
 *   the local engine at once; every fallback is logged and counted.
 */
export const SLOT_CACHE_TTL_MS = 20_000;
const SLOT_CACHE_MAX_ENTRIES = 2_000;

export interface CalcomSlotQuery {
  coachId: string;
  eventTypeId: number;
  availabilityVersion: number;
  from: Date;
  to: Date;
  timeZone: string;
}

export type CalcomSlotsOutcome =
  /** `expiresAtMs`: when this answer leaves the cache (epoch ms); an answer built on it is no fresher than that. */
  | { kind: "answered"; starts: number[]; cached: boolean; expiresAtMs: number }
  | { kind: "unavailable"; reason: "error" | "circuit-open" };

const cache = new LRUCache<string, number[]>({ max: SLOT_CACHE_MAX_ENTRIES, ttl: SLOT_CACHE_TTL_MS });
const inflight = new Map<string, Promise<number[]>>();
export const calcomBreaker = new CircuitBreaker({ failureThreshold: 3, coolDownMs: 30_000 });
/** Per-process counters (also in each fallback's log line). */
export const calcomSlotStats = { calls: 0, cacheHits: 0, fallbacks: 0, fastFails: 0 };

export function resetCalcomSlotCache(): void {
  cache.clear();
  inflight.clear();
}

export async function calcomSlotStarts(query: CalcomSlotQuery): Promise<CalcomSlotsOutcome | null> {
  if (!calcomConfigured()) return null;
  const key = `${query.coachId}|${query.eventTypeId}|${query.availabilityVersion}|${query.from.getTime()}|${query.to.getTime()}|${query.timeZone}`;
  const hit = cache.get(key);
  if (hit) {
    calcomSlotStats.cacheHits++;
    return { kind: "answered", starts: hit, cached: true, expiresAtMs: Date.now() + cache.getRemainingTTL(key) };
  }
  let pending = inflight.get(key);
  if (!pending) {
    if (!calcomBreaker.allow()) {
      calcomSlotStats.fastFails++;
      return fallback(query, "circuit-open");
    }
    pending = fetchStarts(query).finally(() => inflight.delete(key));
    inflight.set(key, pending);
  }
  try {
    const starts = await pending;
    cache.set(key, starts);
    return { kind: "answered", starts, cached: false, expiresAtMs: Date.now() + SLOT_CACHE_TTL_MS };
  } catch (error) {
    return fallback(query, "error", error);
  }
}

async function fetchStarts(query: CalcomSlotQuery): Promise<number[]> {
  calcomSlotStats.calls++;
  try {
    const slots = await getCalcomClient("interactive").slots.get({ eventTypeId: query.eventTypeId, start: query.from, end: query.to, timeZone: query.timeZone });
    calcomBreaker.succeeded();
    return slots.map((slot) => slot.start.getTime());
  } catch (error) {
    calcomBreaker.failed();
    throw error;
  }
}

function fallback(query: CalcomSlotQuery, reason: "error" | "circuit-open", error?: unknown): CalcomSlotsOutcome {
  calcomSlotStats.fallbacks++;
  log.warn("Cal.com slots unavailable, using the local engine", {
    coachId: query.coachId,
    reason,
    breaker: calcomBreaker.state,
    fallbacks: calcomSlotStats.fallbacks,
    ...(error ? { error } : {}),
  });
  return { kind: "unavailable", reason };
}
