// The print template designer (app/admin/print/*): its draft says every built-in template again
// unchanged, refuses at the right control what the meta-schema and the print engine refuse, and
// its HTML preview is an inert document — compile and render errors come back at their line and
// column. The preview is rendered here with the built-in sample data (no database); with real
// records it is tested end to end (tests/e2e/admin-print.test.ts).
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { Text } from '@codemirror/state';
import { describe, expect, it } from 'vitest';
import type { Admin } from '../../app/admin/admin.server.ts';
import { diagnosticAt, positionOf } from '../../app/admin/print/code-editor.tsx';
import {
  documentOfDraft, draftOfTemplate, draftPageSize, draftProblems, freshName, placeOf, type TemplateDraft,
} from '../../app/admin/print/draft.ts';
import { mustacheClass } from '../../app/admin/print/handlebars-marks.ts';
import { previewRequestOf, sourcesKey, type PreviewAnswer } from '../../app/admin/print/preview.ts';
import { PREVIEW_POLICY, previewHtml } from '../../app/admin/print/preview.server.ts';
import { BUILT_IN_TEMPLATES, sampleNameFor, sampleOf } from '../../app/admin/print/templates.server.ts';
import { loadDocuments } from '../../engine/metadata/load-documents.ts';
import { metaSchemaValidator } from '../../engine/metadata/kinds.ts';
import { documentKey, type MetadataDocument, type Model } from '../../engine/metadata/model.ts';
import { validateDocuments } from '../../engine/metadata/validate.ts';
import { PAPER_SIZES } from '../../engine/print/paper.ts';
import type { PrintTemplateDocument } from '../../engine/print/template-document.ts';

const packageDir = path.resolve(import.meta.dirname, '../../metadata/standard-crm');
const templatesDir = path.join(packageDir, 'print-templates');

async function builtInFiles(): Promise<PrintTemplateDocument[]> {
  const files = (await readdir(templatesDir)).filter((f) => f.endsWith('.json')).sort();
  return Promise.all(files.map(async (f) => JSON.parse(await readFile(path.join(templatesDir, f), 'utf8')) as PrintTemplateDocument));
}

const quote = () => BUILT_IN_TEMPLATES.find((doc) => doc.name === 'quote')!;
const labels = () => BUILT_IN_TEMPLATES.find((doc) => doc.name === 'address_labels')!;
const accepted = (doc: MetadataDocument) => metaSchemaValidator('printTemplate')(doc) === true;
const withDraft = (doc: MetadataDocument, changes: Partial<TemplateDraft>): TemplateDraft => ({ ...draftOfTemplate(doc), ...changes });
const places = (draft: TemplateDraft, isNew = false, taken: string[] = []) => draftProblems(draft, isNew, taken, PAPER_SIZES).map((p) => p.place);

describe('the template draft', () => {
  it('says every built-in template again unchanged, with nothing wrong', async () => {
    const files = await builtInFiles();
    expect(files.map((doc) => doc.name)).toEqual(BUILT_IN_TEMPLATES.map((doc) => doc.name));
    expect(files.length).toBeGreaterThanOrEqual(7);
    for (const doc of files) {
      expect(documentOfDraft(draftOfTemplate(doc), doc), doc.name).toEqual(doc);
      expect(draftProblems(draftOfTemplate(doc), false, [], PAPER_SIZES), doc.name).toEqual([]);
    }
  });

  it('writes what the admin changed, and defaults only where the stored template had them', () => {
    const stored = quote();
    const changed = documentOfDraft(withDraft(stored, { orientation: 'landscape', header: '<b>{{company.name}}</b>', labels: true, rows: '2', columns: '2' }), stored);
    expect(changed).toMatchObject({ orientation: 'landscape', header: '<b>{{company.name}}</b>', labels: { rows: 2, columns: 2 }, margins: stored.margins });
    expect(changed.labels).toEqual({ rows: 2, columns: 2 });
    // A template without margins gets none written while they stay at 10 mm.
    const { margins: _margins, ...bare } = stored;
    expect(documentOfDraft(draftOfTemplate(bare as MetadataDocument), bare as MetadataDocument)).not.toHaveProperty('margins');
    expect(documentOfDraft(withDraft(bare as MetadataDocument, { margins: { top: '12', right: '10', bottom: '10', left: '10' } }), bare as MetadataDocument).margins)
      .toEqual({ top: 12, right: 10, bottom: 10, left: 10 });
    // An emptied header is left out rather than written empty.
    expect(documentOfDraft(withDraft({ ...stored, header: 'x' }, { header: '' }), stored)).not.toHaveProperty('header');
  });

  it('refuses at its control every paper, margin and grid the meta-schema refuses', () => {
    const doc = quote();
    const cases: [Partial<TemplateDraft>, string[]][] = [
      [{ paper: 'custom', width: '100', height: '50' }, []],
      [{ paper: 'custom', width: '99.5', height: '2000' }, []],
      [{ paper: 'custom', width: '0', height: '50' }, ['width']],
      [{ paper: 'custom', width: '', height: '50' }, ['width']],
      [{ paper: 'custom', width: '-5', height: '2001' }, ['width', 'height']],
      [{ paper: 'custom', width: '1e3', height: 'abc' }, ['width', 'height']],
      [{ margins: { top: '0', right: '0', bottom: '0', left: '0' } }, []],
      [{ margins: { top: 'x', right: '10', bottom: '10', left: '2001' } }, ['margin_top', 'margin_left']],
      [{ labels: true, rows: '8', columns: '3', gapX: '2.5', gapY: '0', startPosition: '24' }, []],
      [{ labels: true, rows: '0', columns: '101' }, ['rows', 'columns']],
      [{ labels: true, rows: '1.5', columns: '3', gapX: '-1', gapY: 'x' }, ['rows', 'gapX', 'gapY']],
      [{ labels: true, startPosition: '0' }, ['startPosition']],
      [{ source: '' }, ['source']],
    ];
    for (const [changes, expected] of cases) {
      const draft = withDraft(doc, changes);
      expect(places(draft), JSON.stringify(changes)).toEqual(expected);
      expect(accepted(documentOfDraft(draft, doc)), JSON.stringify(changes)).toBe(expected.length === 0);
    }
  });

  it('refuses what the print engine refuses beyond the meta-schema: no room inside the margins, a start past the sheet', () => {
    const doc = quote();
    expect(places(withDraft(doc, { margins: { top: '10', right: '105', bottom: '10', left: '105' } }))).toEqual(['margins']);
    expect(draftProblems(withDraft(doc, { paper: 'DL', margins: { top: '60', right: '10', bottom: '50', left: '10' } }), false, [], PAPER_SIZES))
      .toEqual([{ place: 'margins', key: 'apt_problem_margins', params: { width: 220, height: 110 } }]);
    // Landscape A4 is 297 wide: 150 + 140 still leaves room.
    expect(places(withDraft(doc, { orientation: 'landscape', margins: { top: '10', right: '150', bottom: '10', left: '140' } }))).toEqual([]);
    expect(draftProblems(withDraft(labels(), { startPosition: '25' }), false, [], PAPER_SIZES))
      .toEqual([{ place: 'startPosition', key: 'apt_problem_start', params: { cells: 24 } }]);
  });

  it('checks a new template’s name and labels', () => {
    const draft = withDraft(quote(), { name: 'quote_simple' });
    expect(places(draft, true, ['quote'])).toEqual([]);
    expect(places({ ...draft, name: 'quote' }, true, ['quote'])).toEqual(['name']);
    expect(places({ ...draft, name: 'Quote-2' }, true)).toEqual(['name']);
    expect(places({ ...draft, name: 'new' }, true)).toEqual(['name']);
    expect(places({ ...draft, name: '', labelZh: ' ', labelEn: '', entity: '' }, true)).toEqual(['name', 'entity', 'labelZh', 'labelEn']);
    expect(freshName('quote', ['quote'])).toBe('quote_copy');
    expect(freshName('quote', ['quote_copy', 'quote_copy_2'])).toBe('quote_copy_3');
  });

  it('knows the page it prints on, turned when landscape', () => {
    expect(draftPageSize(draftOfTemplate(quote()), PAPER_SIZES)).toEqual({ width: 210, height: 297 });
    expect(draftPageSize(withDraft(quote(), { paper: 'DL', orientation: 'landscape' }), PAPER_SIZES)).toEqual({ width: 110, height: 220 });
    expect(draftPageSize(withDraft(quote(), { paper: 'custom', width: '100', height: '0' }), PAPER_SIZES)).toBeUndefined();
  });

  it('puts the engine’s problems at their control', () => {
    const at = (p: string, code = 'schema_violation') => placeOf({ path: p, code });
    expect(['/name', '/label/zh-CN', '/label/en', '/entity', '/paper', '/paper/width', '/margins/left', '/labels/startPosition', '/source', '/footer'].map((p) => at(p)))
      .toEqual(['name', 'labelZh', 'labelEn', 'entity', 'paper', 'width', 'margin_left', 'startPosition', 'source', 'footer']);
    expect(at('/margins', 'print_margins_too_large')).toBe('margins');
    expect(at('')).toBeUndefined();
  });
});

describe('the code editor', () => {
  it('marks mustaches by kind', () => {
    expect(mustacheClass('{{record.number}}')).toBe('cm-hbs');
    expect(mustacheClass('{{#each record.lines}}')).toBe('cm-hbs cm-hbs-block');
    expect(mustacheClass('{{~/each}}')).toBe('cm-hbs cm-hbs-block');
    expect(mustacheClass('{{else}}')).toBe('cm-hbs cm-hbs-block');
    expect(mustacheClass('{{{record.remarks}}}')).toBe('cm-hbs cm-hbs-raw');
    expect(mustacheClass('{{!-- note --}}')).toBe('cm-hbs cm-hbs-comment');
  });

  it('marks the whole mustache a problem is in, from its line and column', () => {
    const doc = Text.of(['<h1>报价单</h1>', '<p>{{money record.total}} {{bad', '']);
    const line = doc.line(2).from;
    expect(positionOf(doc, 2, 4)).toBe(line + 3);
    const mustache = { from: line + 3, to: line + 25, severity: 'error' };
    expect(diagnosticAt(doc, { line: 2, column: 4, message: 'x' })).toMatchObject(mustache);
    // Handlebars points at a helper or path inside it.
    expect(diagnosticAt(doc, { line: 2, column: 12, message: 'x' })).toMatchObject(mustache);
    // A mustache left open: from there to the end of its line; a place past the document: its last line.
    expect(diagnosticAt(doc, { line: 2, column: 27, message: 'x' })).toMatchObject({ from: line + 26, to: doc.line(2).to });
    expect(diagnosticAt(doc, { line: 1, column: 2, message: 'x' })).toMatchObject({ from: 1, to: doc.line(1).to });
    expect(positionOf(doc, 9, 1)).toBe(doc.line(3).from);
  });
});

describe('the HTML preview', () => {
  let model: Model | undefined;
  /** An administrator of a workspace holding the standard CRM, as far as previews with sample data need one. */
  async function admin(): Promise<Admin> {
    if (!model) {
      const { inputs, problems } = await loadDocuments(packageDir);
      expect(problems).toEqual([]);
      const valid = validateDocuments(inputs);
      expect(valid.problems).toEqual([]);
      model = new Map(valid.documents.map((doc) => [documentKey(doc), doc]));
    }
    return { model, locale: 'zh-CN' } as unknown as Admin;
  }
  const preview = async (template: PrintTemplateDocument, sample = 'quote'): Promise<PreviewAnswer> =>
    previewHtml(await admin(), { ...previewRequestOf(template, '', sample, 'zh-CN'), template });

  it('renders the quotation with its sample data as an inert document', async () => {
    const answer = await preview(quote());
    expect(answer.problems).toEqual([]);
    expect(answer).toMatchObject({ compiles: true, record: { id: null, label: '示例数据' }, sources: sourcesKey(quote()) });
    const html = answer.html!;
    expect(html.indexOf(`<meta http-equiv="Content-Security-Policy" content="${PREVIEW_POLICY}">`)).toBe(html.indexOf('<head>') + '<head>'.length);
    expect(PREVIEW_POLICY).toContain("default-src 'none'");
    expect(html).toContain(sampleOf('quote', 'quote')!.company.name as string);
    expect(html).toContain('@page { size: 210mm 297mm; margin: 12mm 12mm 16mm 12mm; }');
    expect(html).toContain('width: 210mm; min-height: 297mm;');
    expect(answer.page).toEqual({ width: 210, height: 297 });
    // Page numbers are drawn in the footer margin, as Chromium's footer template has them.
    expect(html).toMatch(/<div class="forma-preview-footer">.*第 <span class="pageNumber"><\/span> 页/s);
    expect(html).not.toMatch(/<script/i);
  });

  it('gives a syntax error at its line and column, and says the sources do not compile', async () => {
    const answer = await preview({ ...quote(), source: '<h1>报价单</h1>\n<p>{{#if record.number}}</p>\n{{/each}}' });
    expect(answer.html).toBeUndefined();
    expect(answer.compiles).toBe(false);
    expect(answer.error).toBe('打印模板有误');
    // Handlebars points at the block's name: `{{#if` starts in column 4.
    expect(answer.problems).toEqual([expect.objectContaining({ code: 'print_syntax_error', path: '/source', source: 'printTemplate:quote', line: 2, column: 7 })]);
    expect(answer.problems[0]!.message).toBe("第 2 行第 7 列：模板语法错误：if doesn't match each");
    const header = await preview({ ...quote(), header: 'ok\n\n {{nosuchhelper record.number}}' });
    expect(header.problems).toEqual([expect.objectContaining({ code: 'print_helper_unknown', path: '/header', line: 3, column: 2 })]);
  });

  it('gives a field the data lacks at its line, the sources compiling', async () => {
    const answer = await preview({ ...quote(), source: '<h1>报价单</h1>\n<p>{{record.no_such_field}}</p>' });
    expect(answer).toMatchObject({ compiles: true, error: '无法按打印模板生成内容', record: { label: '示例数据' } });
    expect(answer.problems).toEqual([expect.objectContaining({ code: 'print_field_missing', path: '/source', line: 2, column: 6 })]);
  });

  it('refuses a page with no room, a paper of no size and an unknown entity, with the problem at its place', async () => {
    const tight = await preview({ ...quote(), margins: { top: 10, right: 105, bottom: 10, left: 105 } });
    expect(tight).toMatchObject({ compiles: true, error: '纸张设置有误，无法预览' });
    expect(tight.problems.map((p) => [p.code, p.path])).toEqual([['print_margins_too_large', '/margins']]);
    const flat = await preview({ ...quote(), paper: { width: 0, height: 100 } });
    expect(flat.problems.map((p) => p.path)).toContain('/paper/width');
    const past = await preview({ ...labels(), labels: { rows: 2, columns: 2, startPosition: 5 } }, 'address_labels');
    expect(past.problems.map((p) => [p.code, p.path, p.message])).toEqual([['print_labels_start_invalid', '/labels/startPosition', '起始位置 5 超出了每页的 4 个标签']]);
    const nowhere = await preview({ ...quote(), entity: 'nothing_here' });
    expect(nowhere.problems.map((p) => [p.code, p.path])).toEqual([['entity_unknown', '/entity']]);
  });

  it('lays a label template out on its sheet from the start position', async () => {
    const template = { ...labels(), labels: { ...labels().labels!, startPosition: 5 } };
    const answer = await preview(template, sampleNameFor(template));
    expect(answer.problems).toEqual([]);
    const cells = answer.html!.match(/<div class="forma-label">/g)!;
    expect(cells).toHaveLength(24);
    expect(answer.html!.match(/<div class="forma-label"><\/div>/g)).toHaveLength(4);
    expect(answer.html).toContain('grid-template-columns: repeat(3, minmax(0, 1fr))');
    expect(answer.page).toEqual({ width: 210, height: 297 });
  });

  it('uses sample data of the template’s own entity only', async () => {
    expect(sampleNameFor({ name: 'quote', entity: 'quote' })).toBe('quote');
    expect(sampleNameFor({ name: 'my_quote', entity: 'quote' })).toBe('quote');
    expect(sampleNameFor({ name: 'my_envelope', entity: 'customer' })).toBe('address_labels');
    expect(sampleNameFor({ name: 'x', entity: 'task' })).toBe('');
    const answer = await preview({ ...quote(), entity: 'customer' }, 'quote');
    expect(answer).toMatchObject({ error: expect.stringContaining('没有可预览的记录'), compiles: true });
  });
});
