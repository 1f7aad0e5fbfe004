const DAY_MS = 86_400_000;
// Years 0000-9999: the range in which Date#toISOString writes the plain "YYYY-MM-DDTHH:MM:SS.mmmZ" form.
const MIN_MS = -62_167_219_200_000;
const MAX_MS = 253_402_300_799_999;

/** "YYYY-MM-DDT" per UTC day number, built on first use (toISOString costs about 0.5 µs; a 60-day answer has 60 days). */
const DAY_PREFIXES = new Map<number, string>();
const MAX_DAY_PREFIXES = 10_000;
function dayPrefix(day: number): string {
  let prefix = DAY_PREFIXES.get(day);
  if (prefix === undefined) {
    prefix = new Date(day * DAY_MS).toISOString().slice(0, 11);
    if (DAY_PREFIXES.size >= MAX_DAY_PREFIXES) DAY_PREFIXES.clear();
    DAY_PREFIXES.set(day, prefix);
  }
  return prefix;
}

const pad2 = (n: number) => (n < 10 ? `0${n}` : `${n}`);
const pad3 = (n: number) => (n < 10 ? `00${n}` : n < 100 ? `0${n}` : `${n}`);

/** "HH:MM:00.000Z" for each minute of the day, built on first use: slots start and end on whole minutes. */
const MINUTE_SUFFIXES: string[] = [];
function minuteSuffix(minuteOfDay: number): string {
  if (MINUTE_SUFFIXES.length === 0) {
    for (let m = 0; m < 1440; m++) MINUTE_SUFFIXES.push(`${pad2(Math.floor(m / 60))}:${pad2(m % 60)}:00.000Z`);
  }
  return MINUTE_SUFFIXES[minuteOfDay];
}

/**
 * `new Date(ms).toISOString()` without a Date per call: the "YYYY-MM-DDT" prefix is kept per UTC day, a whole minute's time of day comes from a table and any other is plain
 * arithmetic. Same output as toISOString for every integer instant.
 */
export function isoFromEpochMs(ms: number): string {
  if (!Number.isInteger(ms) || ms < MIN_MS || ms > MAX_MS) return new Date(ms).toISOString();
  const day = Math.floor(ms / DAY_MS);
  const prefix = dayPrefix(day);
  let rest = ms - day * DAY_MS;
  if (rest % 60_000 === 0) return prefix + minuteSuffix(rest / 60_000);
  const hours = Math.floor(rest / 3_600_000);
  rest -= hours * 3_600_000;
  const minutes = Math.floor(rest / 60_000);
  rest -= minutes * 60_000;
  const seconds = Math.floor(rest / 1000);
  return `${prefix}${pad2(hours)}:${pad2(minutes)}:${pad2(seconds)}.${pad3(rest - seconds * 1000)}Z`;
}
