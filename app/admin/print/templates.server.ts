// What the print template pages read: the workspace's templates, the built-in ones a new
// template starts from (the standard CRM's package documents, built from templates/*.hbs), their
// sample data (templates/samples/), and the records of an entity a preview can be rendered with.
import type { LocalizedText } from '../../../engine/i18n/text.ts';
import { lineParentsOf } from '../../../engine/metadata/check-model.ts';
import { documentKey, entitiesOf, isArchivedEntity } from '../../../engine/metadata/model.ts';
import type { PrintData } from '../../../engine/print/data.ts';
import type { PrintTemplateDocument } from '../../../engine/print/template-document.ts';
import { runQuery } from '../../../engine/records/query/index.ts';
import { entityRuntime } from '../../../engine/records/runtime.ts';
import { quickSearch } from '../../../engine/records/search.ts';
import { label, t } from '../../text/index.ts';
import type { Admin } from '../admin.server.ts';
import { freshName } from './draft.ts';
import type { BuiltInChoice } from './StartFrom.tsx';
import type { SampleRecord } from './preview.ts';

// Bundled with the server (Vite): they are read where the app runs, whatever its working directory.
const packaged = import.meta.glob<PrintTemplateDocument>('../../../metadata/standard-crm/print-templates/*.json', { eager: true, import: 'default' });
const samples = import.meta.glob<PrintData>('../../../templates/samples/*.json', { eager: true, import: 'default' });

const fileName = (file: string) => file.slice(file.lastIndexOf('/') + 1, -'.json'.length);

/** The built-in templates (报价单, 销售单… as the standard CRM ships them), in name order. */
export const BUILT_IN_TEMPLATES: readonly PrintTemplateDocument[] = Object.entries(packaged)
  .sort(([a], [b]) => a.localeCompare(b)).map(([, doc]) => doc);

const sampleData = new Map(Object.entries(samples).map(([file, data]) => [fileName(file), data]));

/**
 * The sample print data of a built-in template (templates/samples/<name>.json) when it is data
 * of `entity`: what a preview shows when the workspace has no record to show.
 */
export function sampleOf(name: string, entity: string): PrintData | undefined {
  const data = sampleData.get(name);
  return data?.entity.name === entity ? data : undefined;
}

/**
 * The built-in template whose sample data fits a template of `entity` named `name`: its own (a
 * built-in template, or the one a new template starts from), else the first built-in template
 * of the same entity; '' when none prints that entity.
 */
export function sampleNameFor({ name, entity }: { name: string; entity: string }): string {
  if (sampleOf(name, entity)) return name;
  return BUILT_IN_TEMPLATES.find((doc) => sampleOf(doc.name, entity))?.name ?? '';
}

/** The built-in template a new one starts from unless the admin chooses another: the quotation (报价单). */
export function defaultStart(): string {
  return BUILT_IN_TEMPLATES.find((doc) => doc.name === 'quote')?.name ?? BUILT_IN_TEMPLATES[0]?.name ?? '';
}

/** The built-in templates as a new one offers them: name, label and the entity it prints, in the admin's language. */
export function builtInChoices(admin: Admin): BuiltInChoice[] {
  return BUILT_IN_TEMPLATES.map((doc) => ({ name: doc.name, label: label(doc.label, admin.locale), entityLabel: entityLabel(admin, doc.entity) }));
}

/** One row of the templates' overview. */
export interface TemplateRow {
  name: string;
  label: string;
  entity: string;
  entityLabel: string;
  /** The paper as people say it: A4, DL, 100 × 50 mm; turned when landscape. */
  paper: string;
  landscape: boolean;
  /** The label grid (rows × columns) of a label sheet; absent for a document. */
  grid?: { rows: number; columns: number };
  builtIn: boolean;
}

/** Every print template of the workspace, by label, as the overview lists them. */
export function templateOverview(admin: Admin): TemplateRow[] {
  const builtIn = new Set(BUILT_IN_TEMPLATES.map((doc) => doc.name));
  return printTemplates(admin).map((doc) => ({
    name: doc.name,
    label: label(doc.label, admin.locale),
    entity: doc.entity,
    entityLabel: entityLabel(admin, doc.entity),
    paper: typeof doc.paper === 'string' ? doc.paper : `${doc.paper.width} × ${doc.paper.height} mm`,
    landscape: doc.orientation === 'landscape',
    ...(doc.labels ? { grid: { rows: doc.labels.rows, columns: doc.labels.columns } } : {}),
    builtIn: builtIn.has(doc.name),
  })).sort((a, b) => a.label.localeCompare(b.label, admin.locale));
}

/** The workspace's printTemplate documents. */
export function printTemplates(admin: Admin): PrintTemplateDocument[] {
  return [...admin.model.values()].filter((doc): doc is PrintTemplateDocument => doc.kind === 'printTemplate');
}

/** A template of the workspace by name, or a 404 page. */
export function requireTemplate(admin: Admin, name: string): PrintTemplateDocument {
  const doc = admin.model.get(documentKey({ kind: 'printTemplate', name }));
  if (!doc) throw new Response(t(admin.locale, 'not_found_lead'), { status: 404 });
  return doc as PrintTemplateDocument;
}

/** An entity's label in the admin's language, its name when the model lacks it. */
export function entityLabel(admin: Admin, entity: string): string {
  return label(admin.model.get(documentKey({ kind: 'entity', name: entity }))?.label as LocalizedText | undefined, admin.locale) || entity;
}

/** The entities a template may print: every active entity that is not another's line items. */
export function printableEntities(admin: Admin): { name: string; label: string }[] {
  const lineEntities = lineParentsOf(admin.model);
  return entitiesOf(admin.model)
    .filter((entity) => !isArchivedEntity(entity) && !lineEntities.has(entity.name))
    .map((entity) => ({ name: entity.name, label: label(entity.label, admin.locale) }))
    .sort((a, b) => a.label.localeCompare(b.label, admin.locale));
}

/** How many records the sample picker offers at a time. */
const PICKER_SIZE = 10;

/**
 * Records of `entity` a preview can be rendered with, as the admin may read them: those whose
 * searchable fields contain `text` (the quick search of the staff lookups), or without a text
 * the latest ones. 404 for an entity a template may not print.
 */
export async function sampleRecords(admin: Admin, entity: string, text = ''): Promise<SampleRecord[]> {
  if (!printableEntities(admin).some((e) => e.name === entity)) throw new Response(t(admin.locale, 'not_found_lead'), { status: 404 });
  const actor = admin.session.actor;
  if (text.trim()) {
    const hits = await quickSearch(admin.ctx, actor, entity, text, { limit: PICKER_SIZE });
    return hits.map((hit) => ({ id: hit.id, label: hit.label ?? hit.id }));
  }
  const runtime = entityRuntime(admin.model, admin.workspace, entity);
  const { records } = await runQuery(admin.ctx, actor, entity, { sort: [{ field: 'updated_at', direction: 'desc' }], page: { size: PICKER_SIZE } });
  return records.map((record) => ({ id: String(record.id), label: recordName(runtime.display?.name, record) }));
}

/** What names a record: its display field, else its id. */
export function recordName(displayField: string | undefined, record: Record<string, unknown>): string {
  const value = displayField ? record[displayField] : undefined;
  return value === null || value === undefined || value === '' ? String(record.id) : String(value);
}

/**
 * The document a new template starts as: a copy of the built-in template `from` under a name no
 * template has (`quote_copy`) and a label saying it is a copy; undefined for an unknown one.
 */
export function newTemplateFrom(admin: Admin, from: string): PrintTemplateDocument | undefined {
  const builtIn = BUILT_IN_TEMPLATES.find((doc) => doc.name === from);
  if (!builtIn) return undefined;
  return {
    ...builtIn,
    name: freshName(builtIn.name, printTemplates(admin).map((doc) => doc.name)),
    label: { 'zh-CN': t('zh-CN', 'apt_copy_of', { label: builtIn.label['zh-CN'] }), en: t('en', 'apt_copy_of', { label: builtIn.label.en }) },
  };
}
