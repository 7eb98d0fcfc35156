// What the form layout designer's page loads: the entity's layout document (or what a new one
// would be called), its fields as the designer offers them, and the staff form of a sample
// record for the live preview — the same data the record form's own loader gives staff.
import { lineParentsOf } from '../../../engine/metadata/check-model.ts';
import { documentKey, isArchivedEntity, isArchivedField, type EntityDocument, type MetadataDocument, type Model } from '../../../engine/metadata/model.ts';
import { formLayoutOf } from '../../../engine/records/layout-rules.ts';
import { runQuery } from '../../../engine/records/query/index.ts';
import { writableFields } from '../../../engine/records/record-validator.ts';
import type { LocalizedText } from '../../../engine/i18n/text.ts';
import { loadRecordForm } from '../../forms/load.server.ts';
import type { RecordFormData } from '../../forms/record-form.tsx';
import { label, t } from '../../text/index.ts';
import type { Admin } from '../admin.server.ts';
import type { FieldInfo } from './draft.ts';

/** Everything the designer page needs. */
export interface LayoutDesignerData {
  entity: { name: string; label: LocalizedText };
  /** The stored layout document, when the entity has one. */
  document?: MetadataDocument;
  /** What a new layout document is called (used when there is none). */
  freshName: string;
  /** Every field of the entity, archived ones included (a draft may still name one). */
  fields: FieldInfo[];
  /** The staff form of the sample record (or of a new record when there is none), for the preview. */
  preview: RecordFormData;
  /** What the preview shows: a record's name, or empty for a new record's defaults. */
  sample: string;
}

/**
 * The designer's data for an entity, as the signed-in administrator: 404 for an entity that does
 * not exist, is archived, or holds another entity's line items (those are edited inside their
 * parent's form, as a grid, and have no form of their own). The preview's sample is the entity's
 * oldest record, as the admin's own record form would load it.
 */
export async function loadLayoutDesigner(admin: Admin, entityName: string): Promise<LayoutDesignerData> {
  const entity = admin.model.get(documentKey({ kind: 'entity', name: entityName })) as EntityDocument | undefined;
  if (!entity || isArchivedEntity(entity) || lineParentsOf(admin.model).has(entity.name)) {
    throw new Response(t(admin.locale, 'not_found_lead'), { status: 404 });
  }
  const writable = new Set(writableFields(admin.model, entity).map((w) => w.name));
  const fields: FieldInfo[] = Object.entries(entity.schema.properties).map(([name, definition]) => {
    const options = definition['x-forma'];
    return {
      name, label: label(options.label, admin.locale) || name, type: options.type, archived: isArchivedField(definition), writable: writable.has(name),
      ...(options.type === 'select' || options.type === 'multiselect'
        ? { options: (options.options ?? []).map((o) => ({ value: o.value, label: label(o.label, admin.locale) || o.value })) }
        : {}),
    };
  });
  const oldest = await runQuery(admin.ctx, admin.session.actor, entity.name, { sort: [{ field: 'created_at', direction: 'asc' }], page: { size: 1 } });
  const sampleId = oldest.records[0]?.id as string | undefined;
  const { title, ...preview } = await loadRecordForm(admin, entity.name, sampleId, new URLSearchParams());
  const document = formLayoutOf(admin.model, entity.name);
  return {
    entity: { name: entity.name, label: entity.label },
    ...(document ? { document } : {}),
    freshName: freshLayoutName(admin.model, entity.name),
    fields,
    preview,
    sample: sampleId ? title : '',
  };
}

/** `<entity>_form`, or with a number when another document has that name; within the 48 characters of a name. */
function freshLayoutName(model: Model, entity: string): string {
  const base = `${entity.slice(0, 43)}_form`;
  let name = base;
  for (let n = 2; model.has(documentKey({ kind: 'layout', name })); n += 1) name = `${base.slice(0, 46 - String(n).length)}_${n}`;
  return name;
}
