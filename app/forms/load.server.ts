import { UUID, DEFAULT_TIME_ZONE } from '../../engine/records/context.ts';
import { runQuery } from '../../engine/records/query/index.ts';
import { getRecord } from '../../engine/records/read.ts';
import { entityRuntime } from '../../engine/records/runtime.ts';
import { regionByCode, regionChildren } from '../../engine/regions/regions.ts';
import { workspaceMembers } from '../../engine/security/directory.ts';
import { userNames } from '../../engine/security/users.ts';
import { pageError, readableEntity } from '../records.server.ts';
import type { Staff } from '../staff.server.ts';
import { label, t } from '../text/index.ts';
import type { RecordFormData } from './record-form.tsx';
import { formJsonSchema, formUiSchema } from './schema.ts';
import { formSpec } from './spec.server.ts';
import type { FieldSpec, FormSpec, FormValues, RegionPlace } from './types.ts';
import { initialValues } from './values.ts';

/**
 * Everything a record form needs, for the signed-in person: the form (fields they see, which of
 * them they may write, the layout) as JSON Schema and uiSchema, the values to start with — the
 * record at its version, or for a new one the defaults and what the page was opened with
 * (`?customer=<id>`) — and the names to show instead of ids (lookups, users, region places).
 * 403 without the right to create or change the entity's records, 404 for a record they
 * cannot see.
 */
export async function loadRecordForm(
  staff: Staff, entityName: string, id: string | undefined, query: URLSearchParams,
): Promise<RecordFormData & { title: string }> {
  const entity = readableEntity(staff, entityName);
  const rights = staff.access.entity(entity.name)!.rights;
  if (!rights.has(id === undefined ? 'create' : 'update')) throw new Response(t(staff.locale, 'forbidden_title'), { status: 403 });
  const spec = formSpec(staff.model, entity, (e) => staff.access.entity(e), staff.locale);
  const labels = new Map<string, string>();
  let values: FormValues;
  let version: number | undefined;
  let title = '';
  if (id !== undefined) {
    let record;
    try {
      record = await getRecord(staff.ctx, staff.session.actor, entity.name, id);
    } catch (error) {
      pageError(error, staff.locale);
    }
    version = record.version;
    values = initialValues(spec, record);
    for (const [field, name] of Object.entries(record._labels)) {
      const target = spec.fields[field]?.target;
      if (target && name && typeof record[field] === 'string') labels.set(`${target}:${record[field] as string}`, name);
    }
    const display = entity.schema['x-forma']?.displayField;
    title = display && typeof record[display] === 'string' ? (record[display] as string) : '';
  } else {
    values = initialValues(spec, undefined, prefill(spec, query));
  }
  await nameLookups(staff, spec, values, labels);
  const userIds = Object.values(spec.fields).filter((f) => f.type === 'user').map((f) => values[f.name] as string | undefined);
  const users = await userNames(staff.db, userIds);
  const assignable = Object.values(spec.fields).some((f) => f.type === 'user' && !f.readOnly)
    ? (await workspaceMembers(staff.db, staff.workspace)).map((m) => ({ id: m.id, name: m.displayName }))
    : [];
  return {
    entity: entity.name,
    ...(id !== undefined ? { id, version } : {}),
    title: title || label(entity.label, staff.locale),
    spec,
    schema: formJsonSchema(spec),
    uiSchema: formUiSchema(spec),
    values,
    labels: [...labels],
    users: [...users],
    regions: regionLists(spec, values),
    me: { id: staff.session.user.id, name: staff.session.user.displayName },
    members: assignable,
    timeZone: DEFAULT_TIME_ZONE,
  };
}

/**
 * The values a new record's page was opened with, by field name (`?customer=<id>` from a
 * customer's related list): only fields the person may write, each read as its type; anything
 * that does not fit (not an id, not an option, not a number) is left out, not guessed.
 */
export function prefill(spec: FormSpec, query: URLSearchParams): FormValues {
  const values: FormValues = {};
  for (const [name, text] of query) {
    const f = spec.fields[name];
    if (!f || f.readOnly || f.type === 'lines' || f.type === 'file' || f.type === 'formula') continue;
    const value = typed(f, text);
    if (value !== undefined) values[name] = value;
  }
  return values;
}

function typed(f: FieldSpec, text: string): unknown {
  switch (f.type) {
    case 'lookup':
    case 'user':
      return UUID.test(text) ? text.toLowerCase() : undefined;
    case 'integer':
      return /^-?\d{1,15}$/.test(text) ? Number(text) : undefined;
    case 'decimal':
    case 'money':
    case 'percent':
      return /^-?\d{1,15}(\.\d+)?$/.test(text) ? Number(text) : undefined;
    case 'boolean':
      return text === 'true' ? true : text === 'false' ? false : undefined;
    case 'select':
      return f.choices?.some((c) => c.value === text) ? text : undefined;
    case 'multiselect': {
      const chosen = text.split(',').filter((v) => f.choices?.some((c) => c.value === v));
      return chosen.length ? chosen : undefined;
    }
    case 'date':
      return /^\d{4}-\d{2}-\d{2}$/.test(text) ? text : undefined;
    case 'region':
      return /^\d{6}$/.test(text) ? text : undefined;
    default:
      return text.slice(0, f.maxLength ?? 500) || undefined;
  }
}

/**
 * The names of the records the form's lookups point to that the record itself did not name
 * (prefilled ones, line rows' products), one query per target entity, as the person may read
 * them: a record they cannot read stays unnamed.
 */
async function nameLookups(staff: Staff, spec: FormSpec, values: FormValues, labels: Map<string, string>): Promise<void> {
  const wanted = new Map<string, Set<string>>();
  const want = (f: FieldSpec, value: unknown) => {
    if (f.type !== 'lookup' || typeof value !== 'string' || labels.has(`${f.target}:${value}`)) return;
    if (!wanted.has(f.target!)) wanted.set(f.target!, new Set());
    wanted.get(f.target!)!.add(value);
  };
  for (const f of Object.values(spec.fields)) {
    want(f, values[f.name]);
    if (f.lines) for (const row of (values[f.name] as FormValues[] | undefined) ?? []) for (const c of f.lines.fields) want(c, row[c.name]);
  }
  await Promise.all([...wanted].map(async ([target, ids]) => {
    const display = entityRuntime(staff.model, staff.workspace, target).display?.name;
    if (!display || !staff.access.entity(target)?.rights.has('read')) return;
    try {
      const page = await runQuery(staff.ctx, staff.session.actor, target, {
        filter: { field: 'id', op: 'in', value: [...ids].slice(0, 200) }, fields: [display], page: { size: 200 },
      });
      for (const record of page.records) {
        if (typeof record[display] === 'string') labels.set(`${target}:${String(record.id)}`, record[display] as string);
      }
    } catch {
      // A display field hidden from the person: the lookups stay unnamed, never shown as ids.
    }
  }));
}

/** The region lists the form's region fields open on: the provinces, and the places along each value's path. */
function regionLists(spec: FormSpec, values: FormValues): { parent: string; places: RegionPlace[] }[] {
  const regionFields = Object.values(spec.fields).filter((f) => f.type === 'region');
  if (!regionFields.length) return [];
  const parents = new Set<string>(['']);
  for (const f of regionFields) {
    const path = typeof values[f.name] === 'string' ? regionByCode(values[f.name] as string)?.path ?? [] : [];
    for (const place of path.slice(0, -1)) parents.add(place.code);
    // The value's own children, when the pick can go deeper (a partial pick being finished).
    const last = path[path.length - 1];
    if (last && path.length < { province: 1, city: 2, district: 3 }[f.level ?? 'district']) parents.add(last.code);
  }
  return [...parents].map((parent) => ({ parent, places: regionChildren(parent || undefined) }));
}
