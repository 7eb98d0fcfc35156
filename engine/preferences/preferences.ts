import type { ValidateFunction } from 'ajv';
import { sql, type Kysely } from 'kysely';
import { FormaError, problem, type Problem } from '../errors.ts';
import { createAjv, escapePointer, schemaProblems } from '../metadata/ajv.ts';
import common from '../metadata/schemas/common.schema.json' with { type: 'json' };
import listView from '../metadata/schemas/listView.schema.json' with { type: 'json' };
import type { FilterTree } from '../records/query/record-query.ts';
import type { Actor } from '../security/actor.ts';

/**
 * Personal preferences (个人设置): what each person sets for themselves in a workspace and
 * finds again in any browser — the columns they hide in a list, their saved filters. One JSON
 * value per key in `forma.user_preference`; every key belongs to a known kind, and a value is
 * validated against its kind's JSON Schema before it is written (and again when read, so a
 * value an older version wrote never reaches a screen in a shape it does not expect).
 * Each person reads and writes only their own.
 */

/** `list.<entity>.columns`: the list columns a person hides (only hideable ones take effect). */
export interface ListColumnsPreference {
  hidden: string[];
}

/** `list.<entity>.filters`: a person's saved filters of a list, by name, in their order. */
export type SavedFiltersPreference = { name: string; filter: FilterTree }[];

/** The keys of a list's preferences. */
export const listPreferenceKeys = (entity: string) => ({
  columns: `list.${entity}.columns`,
  filters: `list.${entity}.filters`,
});

const NAME = '[a-z][a-z0-9_]{0,47}';

/** Each kind of preference: the keys it has and the schema of its value. */
const KINDS: readonly { key: RegExp; example: string; schema: Record<string, unknown> }[] = [
  {
    key: new RegExp(`^list\\.${NAME}\\.columns$`),
    example: 'list.<entity>.columns',
    schema: {
      type: 'object',
      required: ['hidden'],
      properties: {
        hidden: { type: 'array', maxItems: 200, uniqueItems: true, items: { $ref: 'https://forma.dev/schemas/listView.schema.json#/$defs/fieldPath' } },
      },
      additionalProperties: false,
    },
  },
  {
    key: new RegExp(`^list\\.${NAME}\\.filters$`),
    example: 'list.<entity>.filters',
    schema: {
      type: 'array',
      maxItems: 50,
      items: {
        type: 'object',
        required: ['name', 'filter'],
        properties: {
          name: { type: 'string', minLength: 1, maxLength: 60, pattern: '\\S' },
          filter: { $ref: 'https://forma.dev/schemas/listView.schema.json#/$defs/filter' },
        },
        additionalProperties: false,
      },
    },
  },
];

/** A value is small: a list of column names, a few filters. */
export const PREFERENCE_MAX_BYTES = 64 * 1024;
/** Filters nest a few levels; the schema is checked recursively, so depth is bounded first. */
const MAX_DEPTH = 40;

/**
 * One person's preferences among `keys`, by key; keys they never set (or whose stored value no
 * longer fits its kind) are absent.
 *
 * @example const prefs = await readPreferences(db, actor, 'main', ['list.customer.columns']); prefs['list.customer.columns'] // { hidden: ['fax'] }
 */
export async function readPreferences(db: Kysely<any>, actor: Actor, workspace: string, keys: readonly string[]): Promise<Record<string, unknown>> {
  const problems = keys.flatMap((key, i) => keyProblems(key, `/${i}`));
  if (problems.length) throw new FormaError('preference_invalid', { count: problems.length }, problems);
  if (actor.kind !== 'user' || !keys.length) return {};
  const rows = await db.selectFrom('forma.user_preference')
    .select(['key', 'value'])
    .where('user_id', '=', actor.id)
    .where('workspace', '=', workspace)
    .where('key', 'in', [...keys])
    .execute();
  const found: Record<string, unknown> = {};
  for (const row of rows) {
    const value = typeof row.value === 'string' ? JSON.parse(row.value) : row.value;
    if (!valueProblems(row.key, value).length) found[row.key] = value;
  }
  return found;
}

/** One preference of the person, or undefined when they have not set it. */
export async function readPreference<T>(db: Kysely<any>, actor: Actor, workspace: string, key: string): Promise<T | undefined> {
  return (await readPreferences(db, actor, workspace, [key]))[key] as T | undefined;
}

/**
 * Sets one of the actor's preferences — `null` removes it — after checking the key is of a
 * known kind and the value fits it: `preference_invalid` lists every problem with its JSON
 * Pointer into the value. Only users have preferences (`preference_user_only` for the system).
 *
 * @example await writePreference(db, actor, 'main', 'list.customer.filters', [{ name: 'VIP', filter: { field: 'level', op: 'eq', value: 'VIP' } }]);
 */
export async function writePreference(db: Kysely<any>, actor: Actor, workspace: string, key: string, value: unknown): Promise<void> {
  if (actor.kind !== 'user') throw new FormaError('preference_user_only', { actor: actor.name });
  const problems = keyProblems(key, '/key');
  if (!problems.length && value !== null) problems.push(...valueProblems(key, value, '/value'));
  if (typeof workspace !== 'string' || !workspace) problems.push(problem('schema_violation', '/workspace', { zh: '应当是工作区名称', en: 'must be a workspace name' }));
  if (problems.length) throw new FormaError('preference_invalid', { count: problems.length }, problems);
  if (value === null) {
    await db.deleteFrom('forma.user_preference').where('user_id', '=', actor.id).where('workspace', '=', workspace).where('key', '=', key).execute();
    return;
  }
  const json = JSON.stringify(value);
  await db.insertInto('forma.user_preference')
    .values({ user_id: actor.id, workspace, key, value: json })
    .onConflict((oc) => oc.columns(['user_id', 'workspace', 'key']).doUpdateSet({ value: json, updated_at: sql`now()` }))
    .execute();
}

function keyProblems(key: unknown, at: string): Problem[] {
  if (typeof key === 'string' && KINDS.some((kind) => kind.key.test(key))) return [];
  return [problem('preference_key_unknown', at, { key: String(key).slice(0, 100), known: KINDS.map((k) => k.example).join(', ') })];
}

function valueProblems(key: string, value: unknown, at = ''): Problem[] {
  const json = JSON.stringify(value);
  if (json === undefined) return [problem('schema_violation', at, { zh: '应当是 JSON 值', en: 'must be a JSON value' })];
  if (Buffer.byteLength(json, 'utf8') > PREFERENCE_MAX_BYTES) return [problem('preference_too_large', at, { max: PREFERENCE_MAX_BYTES })];
  if (depthOf(value) > MAX_DEPTH) return [problem('preference_too_deep', at, { max: MAX_DEPTH })];
  const index = KINDS.findIndex((kind) => kind.key.test(key));
  const validate = validators()[index]!;
  const problems = validate(value) ? [] : schemaProblems(validate.errors).map((p) => ({ ...p, path: at + p.path }));
  if (Array.isArray(value)) {
    // Saved filters are picked by name: each name once.
    const seen = new Set<string>();
    value.forEach((item, i) => {
      const name = (item as { name?: unknown } | null)?.name;
      if (typeof name !== 'string' || !name.trim()) return;
      if (seen.has(name.trim())) problems.push(problem('preference_name_duplicate', `${at}/${i}/${escapePointer('name')}`, { name }));
      seen.add(name.trim());
    });
  }
  return problems;
}

/** How deeply a JSON value nests, walked without recursion. */
function depthOf(value: unknown): number {
  let deepest = 0;
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length) {
    const [node, depth] = stack.pop()!;
    if (typeof node !== 'object' || node === null) continue;
    deepest = Math.max(deepest, depth);
    if (deepest > MAX_DEPTH) return deepest;
    for (const child of Object.values(node)) stack.push([child, depth + 1]);
  }
  return deepest;
}

let compiled: ValidateFunction[] | undefined;

function validators(): ValidateFunction[] {
  if (!compiled) {
    const ajv = createAjv();
    ajv.addSchema(common);
    ajv.addSchema(listView);
    compiled = KINDS.map((kind) => ajv.compile(kind.schema));
  }
  return compiled;
}
