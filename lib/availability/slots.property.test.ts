/**
 * Property tests: random zones (with their DST changes), rules, overrides, busy time and `now`.
 * Oracles are independent of the engine: wall-clock readings come from TZDate, hours from the raw rules.
 */
import { TZDate, tzScan } from "@date-fns/tz";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { getAvailableSlots, isSlotBookable } from "@/lib/availability";
import type { AvailabilityInput, DateOverrideRule, Slot, WeeklyRule } from "./types";

const MIN = 60_000;
const DAY = 86_400_000;
const ZONES = [
  "UTC",
  "America/New_York",
  "Europe/Berlin",
  "Asia/Kolkata",
  "Australia/Adelaide",
  "Australia/Lord_Howe", // 30-minute DST
  "America/Santiago", // changes at local midnight
  "America/St_Johns", // -03:30 / -02:30
  "Pacific/Chatham", // +12:45 / +13:45
  "Asia/Kathmandu", // +05:45
];

/** Offset changes of each zone in 2026–2027 (hour precision is enough to aim random ranges at them). */
const TRANSITIONS = new Map(
  ZONES.map((zone) => [
    zone,
    tzScan(zone, { start: new Date("2026-01-01T00:00:00Z"), end: new Date("2028-01-01T00:00:00Z") }).map((c) => c.date.getTime()),
  ]),
);

const minute15 = fc.oneof(
  fc.constantFrom(0, 60, 90, 120, 135, 150, 180, 780, 1320, 1380, 1440),
  fc.integer({ min: 0, max: 96 }).map((x) => x * 15),
);
const range = fc
  .tuple(minute15, minute15)
  .filter(([a, b]) => a !== b)
  .map(([a, b]) => [Math.min(a, b), Math.max(a, b)] as const);

interface Case {
  input: AvailabilityInput;
  cut: Date;
  probes: Date[];
}

const caseArb: fc.Arbitrary<Case> = fc
  .record({
    zone: fc.constantFrom(...ZONES),
    aimAtTransition: fc.boolean(),
    transitionIndex: fc.nat(),
    randomAnchorMin: fc.integer({ min: 0, max: 730 * 1440 }),
    fromShiftMin: fc.integer({ min: -3 * 1440, max: 1440 }),
    spanMin: fc.integer({ min: 1, max: 8 * 1440 }),
    weekly: fc.oneof(
      fc.array(fc.record({ weekday: fc.integer({ min: 0, max: 6 }), r: range }), { maxLength: 12 }),
      // Dense weeks: whole days and midnight-touching ranges, so windows chain across several midnights.
      fc
        .array(fc.constantFrom<Array<readonly [number, number]>>([[0, 1440]], [[1320, 1440]], [[0, 120]], [[0, 120], [1320, 1440]], []), {
          minLength: 7,
          maxLength: 7,
        })
        .map((days) => days.flatMap((ranges, weekday) => ranges.map((r) => ({ weekday, r })))),
    ),
    overrides: fc.array(
      fc.record({ dayOffset: fc.integer({ min: -2, max: 9 }), r: fc.option(range, { freq: 3 }) }),
      { maxLength: 5 },
    ),
    duration: fc.constantFrom(15, 30, 45, 60, 90, 120),
    interval: fc.option(fc.constantFrom(15, 30, 45, 60, 90, 105)),
    before: fc.integer({ min: 0, max: 45 }),
    after: fc.integer({ min: 0, max: 45 }),
    notice: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 3000 })),
    horizon: fc.oneof(fc.integer({ min: 0, max: 12 }), fc.constant(365)),
    nowShiftMin: fc.integer({ min: -5 * 1440, max: 2 * 1440 }),
    busy: fc.array(
      fc.record({ startMin: fc.integer({ min: -1440, max: 10 * 1440 }), lenMin: fc.integer({ min: 1, max: 300 }) }),
      { maxLength: 20 },
    ),
    cutFraction: fc.double({ min: 0, max: 1, noNaN: true }),
    probeFractions: fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 12 }),
  })
  .map((g) => {
    const transitions = TRANSITIONS.get(g.zone)!;
    const anchor =
      g.aimAtTransition && transitions.length > 0
        ? transitions[g.transitionIndex % transitions.length]
        : Date.UTC(2026, 0, 1) + g.randomAnchorMin * MIN;
    const from = anchor + g.fromShiftMin * MIN;
    const to = from + g.spanMin * MIN;
    const weeklyRules: WeeklyRule[] = g.weekly.map((w) => ({ weekday: w.weekday, startMinute: w.r[0], endMinute: w.r[1] }));
    const anchorDay = Math.floor(from / DAY);
    const dateOverrides: DateOverrideRule[] = g.overrides.map((o) => ({
      date: new Date((anchorDay + o.dayOffset) * DAY).toISOString().slice(0, 10),
      startMinute: o.r ? o.r[0] : null,
      endMinute: o.r ? o.r[1] : null,
    }));
    const input: AvailabilityInput = {
      timeZone: g.zone,
      weeklyRules,
      dateOverrides,
      durationMinutes: g.duration,
      slotIntervalMinutes: g.interval,
      bufferBeforeMinutes: g.before,
      bufferAfterMinutes: g.after,
      minimumNoticeMinutes: g.notice,
      bookingHorizonDays: g.horizon,
      busy: g.busy.map((b) => ({ start: new Date(from + b.startMin * MIN), end: new Date(from + (b.startMin + b.lenMin) * MIN) })),
      from: new Date(from),
      to: new Date(to),
      now: new Date(from + g.nowShiftMin * MIN),
    };
    const cut = new Date(from + Math.floor(g.cutFraction * (to - from)));
    const probes = g.probeFractions.map((f) => new Date(from + Math.floor((f * (to - from)) / (5 * MIN)) * 5 * MIN));
    return { input, cut, probes };
  });

/** Independent availability oracle built from the raw rules and TZDate readings. */
function oracle(input: AvailabilityInput) {
  const wallCache = new Map<number, number>();
  /** The zone's wall clock at instant t, UTC-encoded. */
  const wall = (t: number): number => {
    let w = wallCache.get(t);
    if (w === undefined) {
      const z = new TZDate(t, input.timeZone);
      w = Date.UTC(z.getFullYear(), z.getMonth(), z.getDate(), z.getHours(), z.getMinutes(), z.getSeconds());
      wallCache.set(t, w);
    }
    return w;
  };
  /**
   * The highest wall time the clock has shown up to t (t on the 15-minute grid; changes happen on it too).
   * The engine's windows run from the first moment the clock shows the start time to the first moment it
   * shows the end time, so t is inside a window exactly when this high-water mark lies in a range.
   */
  const highWater = (t: number): number => {
    let hw = wall(t);
    for (let k = 1; k <= 8; k++) hw = Math.max(hw, wall(t - k * 15 * MIN) + 15 * MIN - 1);
    return hw;
  };
  const rangesOf = (day: number): Array<[number, number]> => {
    const date = new Date(day * DAY).toISOString().slice(0, 10);
    const rows = input.dateOverrides.filter((o) => o.date === date);
    if (rows.length > 0) {
      return rows.flatMap((o) => (o.startMinute === null || o.endMinute === null ? [] : [[o.startMinute, o.endMinute] as [number, number]]));
    }
    const weekday = new Date(day * DAY).getUTCDay();
    return input.weeklyRules.filter((r) => r.weekday === weekday).map((r) => [r.startMinute, r.endMinute] as [number, number]);
  };
  const availableAt = (t: number): boolean => {
    const hw = highWater(t);
    const day = Math.floor(hw / DAY);
    const minute = (hw - day * DAY) / MIN;
    return rangesOf(day).some(([s, e]) => s <= minute && minute < e);
  };
  return { availableAt, wall };
}

const ceilTo = (t: number, step: number) => Math.ceil(t / step) * step;

function check(c: Case): void {
  const { input } = c;
  const slots = getAvailableSlots(input);
  const duration = input.durationMinutes * MIN;
  const before = input.bufferBeforeMinutes * MIN;
  const after = input.bufferAfterMinutes * MIN;
  const now = input.now.getTime();
  const { availableAt } = oracle(input);

  let previous = -Infinity;
  for (const slot of slots) {
    const s = slot.start.getTime();
    const e = slot.end.getTime();
    // Sorted, no duplicates, right length, inside [from, to), notice and horizon.
    expect(s).toBeGreaterThan(previous);
    previous = s;
    expect(e - s).toBe(duration);
    expect(s).toBeGreaterThanOrEqual(input.from.getTime());
    expect(s).toBeLessThan(input.to.getTime());
    expect(s).toBeGreaterThanOrEqual(now + input.minimumNoticeMinutes * MIN);
    expect(s).toBeLessThanOrEqual(now + input.bookingHorizonDays * DAY);
    // No overlap with busy time, the slot widened by its buffers.
    for (const b of input.busy) {
      const overlaps = s - before < b.end.getTime() && e + after > b.start.getTime();
      expect(overlaps, `slot ${slot.start.toISOString()} vs busy ${b.start.toISOString()}–${b.end.toISOString()}`).toBe(false);
    }
    // Every 15-minute cell of the slot is inside the coach's hours (read back as wall time with TZDate).
    for (let t = s; t < e; t += 15 * MIN) {
      expect(availableAt(t), `slot ${slot.start.toISOString()}: ${new Date(t).toISOString()} outside hours`).toBe(true);
    }
  }

  // Completeness at run starts: where the hours begin (available now, not 15 minutes earlier), a session that
  // fits in the hours, clears busy time with its buffers and meets notice/horizon/range must be offered.
  const members = new Set(slots.map((x) => x.start.getTime()));
  const lower = Math.max(input.from.getTime(), now + input.minimumNoticeMinutes * MIN);
  const upper = Math.min(input.to.getTime() - 1, now + input.bookingHorizonDays * DAY);
  for (let t = ceilTo(lower, 15 * MIN); t <= upper; t += 15 * MIN) {
    if (!availableAt(t) || availableAt(t - 15 * MIN)) continue;
    let fits = true;
    for (let u = t; u < t + duration && fits; u += 15 * MIN) fits = availableAt(u);
    if (!fits) continue;
    const free = input.busy.every((b) => !(t - before < b.end.getTime() && t + duration + after > b.start.getTime()));
    if (!free) continue;
    expect(members.has(t), `run start ${new Date(t).toISOString()} not offered`).toBe(true);
  }

  // isSlotBookable agrees with membership (all slots, up to 25, plus probes and near misses).
  const sample = slots.filter((_, i) => i % Math.max(1, Math.ceil(slots.length / 25)) === 0);
  const candidates = [
    ...sample.map((x) => x.start),
    ...sample.flatMap((x) => [new Date(x.start.getTime() + 5 * MIN), new Date(x.start.getTime() - 15 * MIN)]),
    ...c.probes,
  ].filter((d) => d >= input.from && d < input.to);
  for (const d of candidates) {
    expect(isSlotBookable(input, d), `isSlotBookable(${d.toISOString()})`).toBe(members.has(d.getTime()));
  }

  // Splitting the range anywhere gives the same slots (alignment never depends on the query range).
  const left = getAvailableSlots({ ...input, to: c.cut });
  const right = getAvailableSlots({ ...input, from: c.cut });
  const iso = (list: Slot[]) => list.map((x) => x.start.toISOString());
  expect([...iso(left), ...iso(right)]).toEqual(iso(slots));
}

describe("getAvailableSlots properties", () => {
  it("slots are free, inside the hours, after notice, within the horizon, sorted; isSlotBookable agrees", { timeout: 600_000 }, () => {
    // AVAILABILITY_PROPERTY_RUNS=5000 for a longer soak; the default keeps the unit suite fast.
    fc.assert(fc.property(caseArb, check), { numRuns: Number(process.env.AVAILABILITY_PROPERTY_RUNS ?? 200) });
  });

  it("the generator actually produces slots and DST days", () => {
    const sampleCases = fc.sample(caseArb, { numRuns: 200, seed: 7 });
    const counts = sampleCases.map((c) => getAvailableSlots(c.input).length);
    expect(counts.filter((n) => n > 0).length).toBeGreaterThan(40);
    expect(sampleCases.filter((c) => c.input.timeZone !== "UTC").length).toBeGreaterThan(100);
  });
});
