import { z } from "zod";

/**
 * The instants Parley accepts as input: years 1 to 9999, which Postgres timestamps,
 * JavaScript's `Date` and ISO 8601 all hold. Outside them a date is refused as bad input
 * rather than failing in the database or in `toISOString`.
 */
export const EARLIEST_DATE = new Date("0001-01-01T00:00:00.000Z");
export const LATEST_DATE = new Date("9999-12-31T23:59:59.999Z");

/** A date given as an ISO string, a timestamp or a `Date`, within the years 1 to 9999. */
export const dateInput = () =>
  z.coerce
    .date({ error: "Must be a date" })
    .min(EARLIEST_DATE, { error: "Must be a date in the years 1 to 9999" })
    .max(LATEST_DATE, { error: "Must be a date in the years 1 to 9999" });
