/** The pure availability engine: bookable slots of one coach and one offering. See docs/AVAILABILITY.md. */
export type {
  AvailabilityInput,
  AvailabilityRules,
  BlockedRange,
  DateOverrideRule,
  Slot,
  TimeInterval,
  WeeklyRule,
} from "./types";
export { blockedRange, getAvailableSlotStarts, getAvailableSlots, isSlotBookable } from "./slots";
export { localTimeToInstant } from "./tz";
