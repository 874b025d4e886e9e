/**
 * The golden table of typed wall times around DST changes (issue 11): each face — the
 * shared civil-time module, the CLI (`next --at`, `add --at`) and the UI editor's Run at —
 * must turn `wall` in `zone` into `instant`. Gaps move forward by their length, folds take
 * the first occurrence (DESIGN.md, "DST"; Temporal's "compatible"). Dates are in 2027 so
 * that a one-off job at them is still in the future.
 */
export interface GoldenCase {
  what: string;
  zone: string;
  /** As typed: `--at` without an offset, or the editor's datetime-local value. */
  wall: string;
  /** ISO 8601 with the zone's offset at that instant. */
  instant: string;
}

export const CIVIL_TIME_GOLDEN: readonly GoldenCase[] = [
  { what: "New York spring-forward gap", zone: "America/New_York", wall: "2027-03-14T02:30", instant: "2027-03-14T03:30:00-04:00" },
  { what: "New York, the minute before the gap", zone: "America/New_York", wall: "2027-03-14T01:59", instant: "2027-03-14T01:59:00-05:00" },
  { what: "New York repeated hour (first occurrence)", zone: "America/New_York", wall: "2027-11-07T01:30", instant: "2027-11-07T01:30:00-04:00" },
  { what: "New York, just after the repeated hour", zone: "America/New_York", wall: "2027-11-07T02:00", instant: "2027-11-07T02:00:00-05:00" },
  { what: "Paris spring-forward gap", zone: "Europe/Paris", wall: "2027-03-28T02:30", instant: "2027-03-28T03:30:00+02:00" },
  { what: "Paris repeated hour (first occurrence)", zone: "Europe/Paris", wall: "2027-10-31T02:30", instant: "2027-10-31T02:30:00+02:00" },
  { what: "Sydney repeated hour (first occurrence)", zone: "Australia/Sydney", wall: "2027-04-04T02:30", instant: "2027-04-04T02:30:00+11:00" },
  { what: "Sydney spring-forward gap", zone: "Australia/Sydney", wall: "2027-10-03T02:30", instant: "2027-10-03T03:30:00+11:00" },
  { what: "Lord Howe half-hour gap", zone: "Australia/Lord_Howe", wall: "2027-10-03T02:15", instant: "2027-10-03T02:45:00+11:00" },
  { what: "Lord Howe half-hour fold (first occurrence)", zone: "Australia/Lord_Howe", wall: "2027-04-04T01:45", instant: "2027-04-04T01:45:00+11:00" },
  { what: "Santiago gap at midnight", zone: "America/Santiago", wall: "2027-09-05T00:30", instant: "2027-09-05T01:30:00-03:00" },
  { what: "Santiago fold before midnight (first occurrence)", zone: "America/Santiago", wall: "2027-04-03T23:30", instant: "2027-04-03T23:30:00-03:00" },
  { what: "Kolkata, no DST, half-hour offset", zone: "Asia/Kolkata", wall: "2027-06-01T09:00", instant: "2027-06-01T09:00:00+05:30" },
];
