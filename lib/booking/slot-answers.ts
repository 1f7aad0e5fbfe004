import { createHash } from "node:crypto";
import { LRUCache } from "lru-cache";
import { freshBatcher } from "@/lib/util/fresh-batch";
import { computeSlotStarts, slotsJson, type SlotQuery } from "./slots";

/**
 * The public slot answer (its JSON and ETag), reused by this process while it is provably the same answer.
 *
 * Why this is exact and not merely "fresh enough" (issue #11; docs/SCALING.md):
 * - Data: every change that can alter a coach's free time (a hold, a booking's status or time, rules, overrides,
 *   offerings, settings, a Cal.com sync) bumps the coach's `availability_version` in the same transaction
 *   (database triggers). Each read still makes its one round trip and sends the version of the answer it holds;
 *   PostgreSQL returns the full context only when the version moved. So a hold made through any instance is out
 *   of every instance's next answer: no cross-instance notification, nothing that PgBouncer must carry.
 * - Clock: with the data unchanged, an answer changes only as time passes. Its first slot drops out when it comes
 *   within the coach's minimum notice (the entry ends then, exactly); the booking horizon adds slots at the far
 *   end (the entry lives at most ANSWER_TTL_MS, the same 10 s a browser or CDN may keep it by its Cache-Control);
 *   a synced coach's answer ends with the cached Cal.com answer it was built on (outside calendars).
 * - Answers from the local engine after Cal.com failed are never kept: the next read asks Cal.com (or its breaker).
 * - Identical reads that arrive together share the next check instead of each making one (freshBatcher).
 *
 * What it saves on a repeat: the rules' JSON from PostgreSQL, the engine, the 33 KB of JSON and its SHA-1: a
 * repeated 60-day read went from 1.8-2.3 to 1.2-1.4 ms of CPU (docs/BENCHMARKS.md, fifth pass).
 */
export const ANSWER_TTL_MS = 10_000;
const MAX_BYTES = 16 * 1024 * 1024;

export interface SlotAnswer {
  body: string;
  etag: string;
}
interface Entry extends SlotAnswer {
  availabilityVersion: number;
  expiresAtMs: number;
}

const answers = new LRUCache<string, Entry>({ maxSize: MAX_BYTES, sizeCalculation: (entry) => entry.body.length + 256 });

/** Per-process counters, for tests and the benchmark's report. */
export const slotAnswerStats = { hits: 0, misses: 0 };

export function resetSlotAnswers(): void {
  answers.clear();
  slotAnswerStats.hits = 0;
  slotAnswerStats.misses = 0;
}

const keyOf = (query: SlotQuery) => `${query.coachId}|${query.offeringId}|${query.from.getTime()}|${query.to.getTime()}|${query.timeZone}`;

/**
 * Identical reads arriving together share one check (lib/util/fresh-batch.ts): a read joins the NEXT check of its
 * key, never one already in flight, so its answer still comes from a database read that began after it arrived.
 */
const batched = freshBatcher(keyOf, (query: SlotQuery) => computeAnswer(query, new Date()));

/** The answer for `query`; `now` only for tests of the clock (the route's reads are batched and use the clock). */
export function slotAnswer(query: SlotQuery, now?: Date): Promise<SlotAnswer> {
  return now ? computeAnswer(query, now) : batched(query);
}

async function computeAnswer(query: SlotQuery, now: Date): Promise<SlotAnswer> {
  const key = keyOf(query);
  const held = answers.get(key);
  const usable = held && now.getTime() < held.expiresAtMs ? held : undefined;
  const computed = await computeSlotStarts(query, now, usable?.availabilityVersion ?? null);
  if (computed.unchanged) {
    slotAnswerStats.hits++;
    return usable!;
  }
  slotAnswerStats.misses++;
  const body = slotsJson(computed.answer);
  const answer: SlotAnswer = { body, etag: `"${createHash("sha1").update(body).digest("base64url")}"` };
  if (computed.exactUntilMs === null) {
    answers.delete(key);
  } else {
    answers.set(key, { ...answer, availabilityVersion: computed.availabilityVersion, expiresAtMs: Math.min(now.getTime() + ANSWER_TTL_MS, computed.exactUntilMs) });
  }
  return answer;
}
