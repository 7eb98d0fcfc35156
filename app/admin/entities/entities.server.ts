// What the entity manager's pages load: the entities by module, and everything the designer
// offers to choose from (field types with their options, lookup targets, numbering rules,
// modules), all read from the model and the engine's registries.
import { formerSpots, type FormerSpot, type FormerSpots, type Placement } from './placements.ts';
import { isDeepStrictEqual } from 'node:util';
import entityMetaSchema from '../../../engine/metadata/schemas/entity.schema.json' with { type: 'json' };
import { fieldTypeLabels } from '../../../engine/field-types/labels.ts';
import { fieldTypes } from '../../../engine/field-types/registry.ts';
import { lineParentsOf } from '../../../engine/metadata/check-model.ts';
import {
  activeFields, documentKey, entitiesOf, isArchivedEntity, type EntityDocument, type FieldDefinition, type Model,
} from '../../../engine/metadata/model.ts';
import { moduleMenu } from '../../../engine/metadata/modules.ts';
import { fieldsArchivedIn, loadModel } from '../../../engine/metadata/store.ts';
import type { Admin } from '../admin.server.ts';
import { label, type Locale } from '../../text/index.ts';
import { moduleLabel } from '../../text/modules.ts';
import type { DesignerChoices } from './choices.ts';
import type { FieldOrigin, FieldTypeInfo } from './field-draft.ts';

/** One entity in the entity list. */
export interface EntitySummary {
  name: string;
  label: string;
  icon?: string;
  fields: number;
  archivedFields: number;
  /** The label of the entity whose line items it holds, if it does. */
  lineOf?: string;
}

/** A group of the entity list: a module with its entities, in menu order. */
export interface EntityGroup {
  module: string;
  label: string;
  entities: EntitySummary[];
}

/**
 * The entity list: the entities in use grouped by module in menu order (line-item entities
 * with their parent's module), then the archived ones apart.
 *
 * @example entityCatalogue(admin.model, 'zh-CN').groups[0] // { module: 'customers', label: '客户管理', entities: [...] }
 */
export function entityCatalogue(model: Model, locale: Locale): { groups: EntityGroup[]; archived: EntitySummary[] } {
  const byName = new Map(entitiesOf(model).map((e) => [e.name, e]));
  const parentOf = lineParentOf(model);
  const summary = (entity: EntityDocument): EntitySummary => {
    const parent = parentOf(entity.name);
    const active = activeFields(entity).length;
    return {
      name: entity.name, label: label(entity.label, locale), icon: entity.schema['x-forma']?.icon,
      fields: active, archivedFields: Object.keys(entity.schema.properties).length - active,
      ...(parent ? { lineOf: label(parent.label, locale) } : {}),
    };
  };
  const groups: EntityGroup[] = moduleMenu(model).map((module) => ({
    module: module.name, label: moduleLabel(module, locale), entities: module.entities.map(summary),
  }));
  // Line items are reached through their parent (not the menu): listed right after it, theirs after them.
  const withLines = (entry: EntitySummary, depth = 0): EntitySummary[] => [
    entry,
    ...(depth < byName.size
      ? entitiesOf(model).filter((e) => !isArchivedEntity(e) && parentOf(e.name)?.name === entry.name).flatMap((e) => withLines(summary(e), depth + 1))
      : []),
  ];
  for (const group of groups) group.entities = group.entities.flatMap((entry) => withLines(entry));
  const archived = entitiesOf(model).filter(isArchivedEntity).map(summary);
  return { groups: groups.filter((g) => g.entities.length), archived };
}

/** The entity whose line items an entity holds (through a `lines` field), if it does. */
export function lineParentOf(model: Model): (entity: string) => EntityDocument | undefined {
  const parents = lineParentsOf(model);
  return (entity) => {
    const parent = parents.get(entity)?.[0]?.split('.')[0];
    return parent === undefined ? undefined : (model.get(documentKey({ kind: 'entity', name: parent })) as EntityDocument | undefined);
  };
}

/**
 * The designer's choices for a model: field types (from the registry, with the options the
 * entity meta-schema allows each), entities, numbering rules and modules.
 */
export function designerChoices(model: Model, locale: Locale): DesignerChoices {
  const entities = entitiesOf(model);
  return {
    fieldTypes: fieldTypeInfos(),
    entities: entities.map((e) => ({ name: e.name, label: label(e.label, locale), archived: isArchivedEntity(e) })),
    numberings: [...model.values()].filter((d) => d.kind === 'numbering')
      .map((d) => ({ name: d.name, label: label(d.label, locale), pattern: String(d.pattern ?? '') })),
    modules: moduleMenu(model).filter((m) => m.name).map((m) => ({ name: m.name, label: moduleLabel(m, locale) })),
    takenEntityNames: entities.map((e) => e.name),
  };
}

type OptionSchema = { properties?: Record<string, { enum?: string[]; maximum?: number; items?: { properties?: Record<string, unknown> } }> };

let typeInfos: FieldTypeInfo[] | undefined;

/** Each field type as the editor needs it: its capabilities, its own options and their allowed values, its defaults. */
export function fieldTypeInfos(): FieldTypeInfo[] {
  typeInfos ??= [...fieldTypes.values()].map((type) => {
    const defs = entityMetaSchema.$defs as unknown as Record<string, OptionSchema>;
    const own = defs[`${type.name}Options`]?.properties ?? {};
    const options = Object.keys(own).filter((o) => o !== 'type');
    const sample = { type: type.name, label: {}, resultType: 'decimal' };
    const column = type.column(sample);
    const maxLength = type.defaultSchema?.(sample).maxLength;
    return {
      name: type.name,
      label: fieldTypeLabels[type.name] ?? { 'zh-CN': type.name, en: type.name },
      searchable: type.searchable === true,
      filterable: type.filterable === true,
      unique: type.unique === true,
      options,
      enums: Object.fromEntries(options.flatMap((o) => (own[o]?.enum ? [[o, own[o].enum]] : []))),
      ...(typeof maxLength === 'number' ? { defaultMaxLength: maxLength } : {}),
      ...(options.includes('scale') && column?.sql === 'numeric' ? { defaultScale: column.scale, maxScale: own.scale?.maximum } : {}),
      choiceFields: Object.keys(own.options?.items?.properties ?? {}),
    };
  });
  return typeInfos;
}

/**
 * The fields of a stored entity as the editor starts from them: each definition, whether it is
 * required, and the schema keywords its type implies (filled in by the engine; left out when the
 * editor rebuilds the field, so a new type or new options imply their own).
 */
export function fieldOrigins(entity: EntityDocument): Record<string, FieldOrigin> {
  const required = new Set(entity.schema.required ?? []);
  return Object.fromEntries(Object.entries(entity.schema.properties).map(([name, field]) => [
    name, { name, field, required: required.has(name), implied: impliedKeywords(field) },
  ]));
}

function impliedKeywords(field: FieldDefinition): string[] {
  const options = field['x-forma'];
  const type = fieldTypes.get(options.type);
  if (!type) return [];
  const fixed = Object.keys(type.fixedSchema(options));
  const defaults = Object.entries(type.defaultSchema?.(options) ?? {}).filter(([k, v]) => isDeepStrictEqual(field[k], v)).map(([k]) => k);
  return [...fixed, ...defaults];
}

/** The stored entity an admin opens, archived ones too; 404 when there is none. */
/**
 * The documents placing fields of an entity: its form layouts and list views, and other
 * entities' list views showing its fields one lookup away (with those lookups' names).
 */
export function placementsOf(model: Model, entity: string): Placement[] {
  const lookupsTo = (other: string) => {
    const doc = model.get(documentKey({ kind: 'entity', name: other })) as EntityDocument | undefined;
    return Object.entries(doc?.schema.properties ?? {})
      .filter(([, f]) => f['x-forma'].type === 'lookup' && f['x-forma'].target === entity)
      .map(([name]) => name);
  };
  return [...model.values()].flatMap((doc): Placement[] => {
    if (doc.kind !== 'layout' && doc.kind !== 'listView') return [];
    if (doc.entity === entity) return [{ document: doc, via: [] }];
    const via = doc.kind === 'listView' ? lookupsTo(String(doc.entity)) : [];
    return via.length ? [{ document: doc, via }] : [];
  });
}

/**
 * Where each archived field of the entity stood on forms and lists before it was archived, read
 * from the model at the version before its archive: restoring the field puts it back there.
 */
export async function formerSpotsOf(admin: Admin, entity: EntityDocument): Promise<FormerSpots> {
  const ctx = { db: admin.db, workspace: admin.workspace };
  const models = new Map<number, Promise<Model>>();
  const spots: Record<string, FormerSpot[]> = {};
  for (const [name, archivedIn] of await fieldsArchivedIn(ctx, entity.name)) {
    if (!models.has(archivedIn)) models.set(archivedIn, loadModel(ctx, archivedIn - 1));
    const found = formerSpots(placementsOf(await models.get(archivedIn)!, entity.name), name);
    if (found.length) spots[name] = found;
  }
  return spots;
}

export function storedEntity(model: Model, name: string): EntityDocument {
  const entity = model.get(documentKey({ kind: 'entity', name }));
  if (!entity) throw new Response('Not found', { status: 404 });
  return entity as EntityDocument;
}
