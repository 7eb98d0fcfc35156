/**
 * Names Forma refuses for entities and fields although they match the name pattern.
 * Every identifier is quoted in SQL anyway; refusing these keeps generated SQL, reports and
 * integrations free of surprises.
 */

/** PostgreSQL's reserved key words (the "reserved" column of its SQL key words appendix). */
export const reservedWords: ReadonlySet<string> = new Set(
  `all analyse analyze and any array as asc asymmetric authorization binary both case cast check
  collate collation column concurrently constraint create cross current_catalog current_date
  current_role current_schema current_time current_timestamp current_user default deferrable desc
  distinct do else end except false fetch for foreign freeze from full grant group having ilike in
  initially inner intersect into is isnull join lateral leading left like limit localtime
  localtimestamp natural not notnull null offset on only or order outer overlaps placing primary
  references returning right select session_user similar some symmetric system_user table
  tablesample then to trailing true union unique user using variadic verbose when where window with`
    .split(/\s+/),
);

/** Columns every generated table has; no field may take these names or columns. */
export const systemColumns: ReadonlySet<string> = new Set([
  'id', 'created_at', 'created_by', 'updated_at', 'updated_by', 'owner_id', 'version', 'deleted_at',
  'state', 'parent_id', 'position',
]);

/**
 * A `user` field stored in the system column `owner_id` is the record's owner (负责人): what
 * record scopes, batch reassignment and "my records" go by. It has no column of its own.
 */
export function isOwnerBinding(options: { type: string; column?: string }): boolean {
  return options.type === 'user' && options.column === 'owner_id';
}
