// What the print template designer's page loads (app/routes/admin.print-template.tsx): the
// template or the copy a new one starts as, the choices it offers, and its first preview.
import { PAPER_SIZES } from '../../../engine/print/paper.ts';
import type { PrintTemplateDocument } from '../../../engine/print/template-document.ts';
import { t } from '../../text/index.ts';
import type { Admin } from '../admin.server.ts';
import { documentOfDraft, draftOfTemplate } from './draft.ts';
import { previewRequestOf } from './preview.ts';
import { previewHtml } from './preview.server.ts';
import {
  builtInChoices, defaultStart, newTemplateFrom, printableEntities, printTemplates, requireTemplate, sampleNameFor, sampleRecords,
} from './templates.server.ts';
import type { TemplateDesignerData } from './TemplateDesigner.tsx';

/**
 * The designer's data for the template `name`, or — without a name — for a new template
 * starting as a copy of the built-in template `from` (default `defaultStart()`). 404 for a
 * template that does not exist or a built-in one that does not. The first preview is rendered
 * here, with the entity's latest record (or the sample data), so the page shows it at once.
 */
export async function loadTemplateDesigner(admin: Admin, name: string | undefined, from: string | null): Promise<TemplateDesignerData> {
  const start = name === undefined ? (from ?? defaultStart()) : '';
  const template = name === undefined ? newTemplateFrom(admin, start) : requireTemplate(admin, name);
  if (!template) throw new Response(t(admin.locale, 'not_found_lead'), { status: 404 });
  const isNew = name === undefined;
  const entities = printableEntities(admin);
  const samples = Object.fromEntries(entities.map((e) => [e.name, sampleNameFor({ name: isNew ? start : template.name, entity: e.name })]));
  // A template of an archived entity can still be opened (it lies dormant with its entity): without records.
  const records = entities.some((e) => e.name === template.entity) ? await sampleRecords(admin, template.entity) : [];
  const request = previewRequestOf(documentOfDraft(draftOfTemplate(template), isNew ? undefined : template), records[0]?.id ?? '', samples[template.entity] ?? '', 'zh-CN');
  return {
    version: admin.version,
    template,
    isNew,
    from: start,
    builtIns: builtInChoices(admin),
    names: printTemplates(admin).map((doc) => doc.name),
    entities,
    papers: PAPER_SIZES,
    samples,
    records,
    preview: await previewHtml(admin, { ...request, template: request.template as PrintTemplateDocument }),
    previewKey: JSON.stringify(request),
  };
}

