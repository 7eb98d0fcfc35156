// The entity document as the entity manager edits it (client-safe): a new entity's starting
// document, its settings, archiving. Every edit returns a new document; the designer keeps one
// draft and sends it whole as the DraftChange.
import type { LocalizedText } from '../../../engine/i18n/text.ts';
import type { EntityDocument, EntityOptions } from '../../../engine/metadata/model.ts';

/** The field every new entity starts with, and names its records by. */
const NAME_FIELD = 'name';
const nameFieldLabel: Record<string, string> = { 'zh-CN': '名称', en: 'Name' };

/**
 * A new entity's document: an empty name and labels to fill in, no module or icon yet, and the
 * required, searchable text field `name` (名称) as its display field.
 */
export function newEntityDocument(): EntityDocument {
  return {
    kind: 'entity',
    name: '',
    label: { 'zh-CN': '', en: '' },
    schema: {
      type: 'object',
      'x-forma': { displayField: NAME_FIELD },
      required: [NAME_FIELD],
      properties: {
        [NAME_FIELD]: { 'x-forma': { type: 'text', label: nameFieldLabel, searchable: true, filterable: true } },
      },
    },
  };
}

/** The settings of an entity the manager edits besides its fields. */
export interface EntitySettings {
  name: string;
  label: LocalizedText;
  icon: string;
  module: string;
  displayField: string;
}

/** What the settings controls show for an entity. */
export function settingsOf(entity: EntityDocument): EntitySettings {
  const options = entity.schema['x-forma'] ?? {};
  return {
    name: entity.name,
    label: { 'zh-CN': entity.label['zh-CN'] ?? '', en: entity.label.en ?? '' },
    icon: options.icon ?? '',
    module: options.module ?? '',
    displayField: options.displayField ?? '',
  };
}

/**
 * The entity with changed settings. Empty choices leave their option out; the machine name
 * changes only on a new entity (the caller decides: an existing entity's name is not editable).
 */
export function entityWithSettings(entity: EntityDocument, settings: EntitySettings): EntityDocument {
  const options: EntityOptions = { ...entity.schema['x-forma'] };
  for (const key of ['icon', 'module', 'displayField'] as const) {
    if (settings[key]) options[key] = settings[key];
    else delete options[key];
  }
  return {
    ...entity,
    name: settings.name,
    label: { ...entity.label, ...settings.label },
    schema: withEntityOptions(entity.schema, options),
  };
}

/** The entity archived (hidden with its table and data kept) or restored. */
export function entityArchived(entity: EntityDocument, archived: boolean): EntityDocument {
  const { archived: _was, ...options } = entity.schema['x-forma'] ?? {};
  return { ...entity, schema: withEntityOptions(entity.schema, archived ? { ...options, archived: true } : options) };
}

function withEntityOptions(schema: EntityDocument['schema'], options: EntityOptions): EntityDocument['schema'] {
  const { 'x-forma': _old, ...rest } = schema;
  if (!Object.keys(options).length) return rest;
  // In place, so an unchanged setting leaves the document's text as it was.
  return 'x-forma' in schema
    ? (Object.fromEntries(Object.entries(schema).map(([k, v]) => [k, k === 'x-forma' ? options : v])) as EntityDocument['schema'])
    : { ...schema, 'x-forma': options };
}
