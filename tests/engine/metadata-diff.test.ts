// The readable difference between two models: what the history and a conflict show an admin.
import { describe, expect, it } from 'vitest';
import { fieldTypeLabels } from '../../engine/field-types/labels.ts';
import { fieldTypes } from '../../engine/field-types/registry.ts';
import { describeChanges } from '../../engine/metadata/diff.ts';
import { documentKey, type MetadataDocument, type Model } from '../../engine/metadata/model.ts';
import { entity, field, L } from '../support/documents.ts';

const model = (...docs: MetadataDocument[]): Model => new Map(docs.map((d) => [documentKey(d), d]));
const zh = (docs: ReturnType<typeof describeChanges>) => docs.map((d) => ({ doc: `${d.kind}:${d.name}`, change: d.change, lines: d.lines.map((l) => l['zh-CN']) }));

const wechat = { 'x-forma': { type: 'text', label: L('微信号', 'WeChat ID') } };
const base = entity('customer', { name: field({ type: 'text' }) }) as unknown as MetadataDocument;
const withWechat = entity('customer', { name: field({ type: 'text' }), wechat }) as unknown as MetadataDocument;

describe('describeChanges', () => {
  it('says nothing of documents that did not change', () => {
    expect(describeChanges(model(base), model(structuredClone(base)))).toEqual([]);
  });

  it('names a new field with its type, in both languages', () => {
    const [change] = describeChanges(model(base), model(withWechat));
    expect(change).toMatchObject({ kind: 'entity', name: 'customer', change: 'changed' });
    expect(change!.lines).toEqual([{ 'zh-CN': '新字段「微信号」（单行文本）', en: 'New field "WeChat ID" (Text)' }]);
  });

  it('tells a rename, an archive, a restore, a purge and a required change apart', () => {
    const renamed = entity('customer', { name: field({ type: 'text' }), wechat: { 'x-forma': { type: 'text', label: L('微信', 'WeChat') } } }, { required: ['wechat'] }) as unknown as MetadataDocument;
    expect(zh(describeChanges(model(withWechat), model(renamed)))[0]!.lines).toEqual([
      '字段「微信」改为必填',
      '字段「微信号」的名称：微信号 → 微信',
    ]);
    const archived = entity('customer', { name: field({ type: 'text' }), wechat: { 'x-forma': { ...wechat['x-forma'], archived: true } } }) as unknown as MetadataDocument;
    expect(zh(describeChanges(model(withWechat), model(archived)))[0]!.lines).toEqual(['字段「微信号」已归档']);
    expect(zh(describeChanges(model(archived), model(withWechat)))[0]!.lines).toEqual(['字段「微信号」已恢复']);
    expect(zh(describeChanges(model(archived), model(base)))[0]!.lines).toEqual(['字段「微信号」已清除']);
  });

  it('lists an option change of a field with its old and new value', () => {
    const longer = entity('customer', { name: field({ type: 'text' }, { maxLength: 100 }) }) as unknown as MetadataDocument;
    const shorter = entity('customer', { name: field({ type: 'text' }, { maxLength: 50 }) }) as unknown as MetadataDocument;
    expect(zh(describeChanges(model(longer), model(shorter)))[0]!.lines).toEqual(['字段「字段text」的设置 /maxLength：100 → 50']);
  });

  it('shows other kinds setting by setting, and created and removed documents', () => {
    const rule = { kind: 'numbering', name: 'quote_number', label: L('报价单号', 'Quote number'), pattern: 'BJ{YYYY}{MM}-{####}' };
    const changed = { ...rule, pattern: 'QT{YYYY}{MM}-{#####}', reset: 'monthly' };
    expect(zh(describeChanges(model(rule), model(changed)))).toEqual([{
      doc: 'numbering:quote_number', change: 'changed',
      lines: ['/pattern："BJ{YYYY}{MM}-{####}" → "QT{YYYY}{MM}-{#####}"', '/reset：— → "monthly"'],
    }]);
    expect(zh(describeChanges(model(), model(rule)))).toEqual([{ doc: 'numbering:quote_number', change: 'created', lines: [] }]);
    expect(zh(describeChanges(model(rule), model()))).toEqual([{ doc: 'numbering:quote_number', change: 'removed', lines: [] }]);
  });
});

describe('fieldTypeLabels', () => {
  it('names every field type in both languages', () => {
    expect(Object.keys(fieldTypeLabels).sort()).toEqual([...fieldTypes.keys()].sort());
    for (const text of Object.values(fieldTypeLabels)) expect(text['zh-CN'] && text.en).toBeTruthy();
  });
});
