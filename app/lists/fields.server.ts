import type { EntityDocument, FieldDefinition } from '../../engine/metadata/model.ts';
import { entityTable, type ColumnField } from '../../engine/records/entity-table.ts';
import { operatorsOf, type Operator } from '../../engine/records/query/index.ts';
import { valueKind } from '../../engine/records/query/operators.ts';
import type { Staff } from '../staff.server.ts';
import { label, t } from '../text/index.ts';
import type { FieldChoice } from './filter.ts';

/**
 * The fields a person can filter a list on, for the filter builder: the entity's own fields
 * they may see, its owner and times, and through each of its lookups one hop away the fields
 * of the looked-up entity (`客户.客户等级`) — each with the operators the engine takes for its
 * kind of value, and the options to pick from (select options; user fields pick from the
 * workspace's people, sent once with the page: `withPeople`). A lookup itself offers only
 * empty / not empty: its value is a record id, which
 * nobody types; filter on the looked-up record's fields instead.
 */
export function filterFields(staff: Staff, entity: EntityDocument): FieldChoice[] {
  const table = entityTable(staff.model, staff.workspace, entity.name);
  const hidden = staff.access.entity(entity.name)?.hidden ?? new Set<string>();
  const group = label(entity.label, staff.locale);
  const own = [...table.fields.values()].filter((f) => !hidden.has(f.name));
  const choices: FieldChoice[] = own.flatMap((f) => choiceOf(staff, f, f.name, label(f.definition['x-forma'].label, staff.locale), group));
  // The system columns people filter on; the owner only when no field of the entity shows it.
  const system: [string, string, 'datetime' | 'user'][] = [
    ['created_at', t(staff.locale, 'created_at'), 'datetime'],
    ['updated_at', t(staff.locale, 'updated_at'), 'datetime'],
    ['created_by', t(staff.locale, 'created_by'), 'user'],
  ];
  if (![...table.fields.values()].some((f) => f.column === 'owner_id')) system.push(['owner_id', t(staff.locale, 'owner'), 'user']);
  for (const [path, text, type] of system) {
    const kind = type === 'user' ? 'reference' : 'datetime';
    choices.push({ path, label: text, group, kind, fieldType: type, ops: [...operatorsOf[kind]] });
  }
  for (const lookup of own.filter((f) => f.definition['x-forma'].type === 'lookup')) {
    const targetName = lookup.definition['x-forma'].target!;
    const targetAccess = staff.access.entity(targetName);
    if (!targetAccess?.rights.has('read')) continue;
    let target;
    try {
      target = entityTable(staff.model, staff.workspace, targetName);
    } catch {
      continue; // archived
    }
    const lookupLabel = label(lookup.definition['x-forma'].label, staff.locale);
    for (const f of target.fields.values()) {
      if (targetAccess.hidden.has(f.name) || f.definition['x-forma'].type === 'lookup') continue;
      choices.push(...choiceOf(staff, f, `${lookup.name}.${f.name}`, `${lookupLabel}.${label(f.definition['x-forma'].label, staff.locale)}`, lookupLabel));
    }
  }
  return choices;
}

function choiceOf(staff: Staff, field: ColumnField, path: string, text: string, group: string): FieldChoice[] {
  const options = field.definition['x-forma'];
  const kind = valueKind(options.type, field.type);
  let ops: Operator[] = [...operatorsOf[kind]];
  if (options.type === 'lookup') ops = ['is_empty', 'is_not_empty'];
  // A multiselect's `contains` is its `eq` (has this option): offered once.
  if (kind === 'choices') ops = ops.filter((op) => op !== 'contains');
  return [{
    path, label: text, group, kind, fieldType: options.type === 'formula' ? (options.resultType ?? 'text') : options.type, ops,
    ...optionsOf(staff, field.definition),
  }];
}

function optionsOf(staff: Staff, definition: FieldDefinition): Pick<FieldChoice, 'options'> {
  const options = definition['x-forma'];
  if (options.options) return { options: options.options.map((o) => ({ value: o.value, label: label(o.label, staff.locale), ...(o.color ? { color: o.color } : {}) })) };
  return {};
}


/** Field types a batch update does not offer: computed ones, and those needing a picker of their own (records, regions, files). */
const NOT_BATCH_EDITABLE = new Set(['autonumber', 'formula', 'lines', 'lookup', 'region', 'file', 'richtext']);

/**
 * The fields a batch update (批量修改) can set for this person: their own fields they may see
 * and write, of a type with a plain input. The owner is set by reassigning instead.
 */
export function batchFields(staff: Staff, entity: EntityDocument): FieldChoice[] {
  const table = entityTable(staff.model, staff.workspace, entity.name);
  const access = staff.access.entity(entity.name);
  const required = new Set(entity.schema.required ?? []);
  return [...table.fields.values()]
    .filter((f) => !access?.hidden.has(f.name) && !access?.readOnly.has(f.name) && f.column !== 'owner_id')
    .filter((f) => !NOT_BATCH_EDITABLE.has(f.definition['x-forma'].type))
    .map((f) => {
      const options = f.definition['x-forma'];
      return {
        path: f.name, label: label(options.label, staff.locale), group: label(entity.label, staff.locale),
        kind: valueKind(options.type, f.type), fieldType: options.type, ops: ['eq'] as Operator[], required: required.has(f.name),
        ...optionsOf(staff, f.definition),
      };
    });
}

/** Whether the person may reassign the owner of records they may update: not when their role makes the owner read-only or hidden. */
export function mayReassign(staff: Staff, entity: EntityDocument): boolean {
  const access = staff.access.entity(entity.name);
  if (!access?.rights.has('update')) return false;
  const ownerField = Object.entries(entity.schema.properties).find(([, f]) => (f['x-forma'].column ?? '') === 'owner_id')?.[0];
  return !ownerField || (!access.readOnly.has(ownerField) && !access.hidden.has(ownerField));
}
