import type { Kysely } from 'kysely';

/**
 * Where records engine calls work: the database, the workspace, and the workspace's time zone
 * (numbering dates, `today()` in formulas). Chinese SMEs first: Asia/Shanghai unless configured.
 */
export interface RecordsContext {
  db: Kysely<any>;
  workspace: string;
  timeZone?: string;
}

export const DEFAULT_TIME_ZONE = 'Asia/Shanghai';

/** A record id is a UUID; anything else cannot name a record (and must not reach a uuid column). */
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The calendar date of `at` in a time zone, as 'YYYY-MM-DD'. */
export function calendarDate(at: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);
}
