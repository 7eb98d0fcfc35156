// The numbering designer's pattern parts and its checks (app/admin/numbering/*): the parts say
// exactly the patterns the engine reads, and the designer refuses exactly what the meta-schema
// refuses, in words, at the part.
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { documentOfDraft, draftOfRule, draftProblems, previewable, previewParams, withParts, withPattern } from '../../app/admin/numbering/draft.ts';
import { partProblems, partsOfPattern, patternOfParts, patternProblems, type PatternParts } from '../../app/admin/numbering/pattern.ts';
import { metaSchemaValidator } from '../../engine/metadata/kinds.ts';
import type { MetadataDocument } from '../../engine/metadata/model.ts';
import { formatNumber, ruleFromDocument } from '../../engine/numbering/rule.ts';

const rulesDir = path.resolve(import.meta.dirname, '../../metadata/standard-crm/numbering');
const standardRules = async (): Promise<MetadataDocument[]> =>
  Promise.all((await readdir(rulesDir)).map(async (file) => JSON.parse(await readFile(path.join(rulesDir, file), 'utf8')) as MetadataDocument));

const accepts = (pattern: string) => metaSchemaValidator('numbering')({ kind: 'numbering', name: 'r', label: { 'zh-CN': '规则', en: 'Rule' }, pattern }) === true;

describe('pattern parts', () => {
  it('say every pattern of the standard CRM, and make it again', async () => {
    const rules = await standardRules();
    expect(rules.length).toBeGreaterThan(10);
    for (const rule of rules) {
      const parts = partsOfPattern(String(rule.pattern));
      expect(parts, String(rule.pattern)).toBeDefined();
      expect(patternOfParts(parts!)).toBe(rule.pattern);
    }
    expect(partsOfPattern('KH{YYYY}-{#####}')).toEqual({ prefix: 'KH', date: 'YYYY', separator: '-', digits: 5, suffix: '' });
    expect(partsOfPattern('SP{#####}')).toEqual({ prefix: 'SP', date: '', separator: '', digits: 5, suffix: '' });
  });

  it('make the pattern the issue asks for, which numbers as the engine draws them', () => {
    const parts: PatternParts = { prefix: 'QT', date: 'YYYYMM', separator: '-', digits: 5, suffix: '' };
    const pattern = patternOfParts(parts);
    expect(pattern).toBe('QT{YYYY}{MM}-{#####}');
    const rule = ruleFromDocument({ kind: 'numbering', name: 'quote_number', label: { 'zh-CN': '报价单号', en: 'Quote number' }, pattern, reset: 'monthly' });
    expect(formatNumber(rule, new Date('2026-11-22T02:00:00Z'), 1, 'Asia/Shanghai')).toBe('QT202611-00001');
    expect(patternOfParts({ prefix: 'HT', date: 'YYMMDD', separator: '', digits: 3, suffix: '-A' })).toBe('HT{YY}{MM}{DD}{###}-A');
    // Without a date there is nothing to separate: the separator is not written.
    expect(patternOfParts({ prefix: 'QD', date: '', separator: '-', digits: 4, suffix: '' })).toBe('QD{####}');
  });

  it('leave the patterns they cannot say to the raw editor', () => {
    for (const pattern of ['{####}-{YYYY}', 'SO{MM}{YYYY}-{####}', 'SO{YYYY}-{MM}-{####}', 'SO{MM}-{####}', 'SO', 'SO{####}{####}', 'SO{Y}{####}']) {
      expect(partsOfPattern(pattern), pattern).toBeUndefined();
    }
  });
});

describe('pattern checks', () => {
  it('refuse exactly what the meta-schema refuses', () => {
    const patterns = [
      'SO{YYYY}{MM}-{####}', 'QT{YYYY}{MM}-{#####}', '{#}', `X{${'#'.repeat(12)}}`, 'A-{DD}{####}Z',
      'SO{YYYY}', 'SO{####}{##}', 'SO {####}', 'SO{{####}', 'SO}{####}', 'SO{Q}{####}', `X{${'#'.repeat(13)}}`, '', `${'A'.repeat(60)}{####}`, '{}{####}',
    ];
    for (const pattern of patterns) expect(patternProblems(pattern).length === 0, pattern).toBe(accepts(pattern));
  });

  it('say what is wrong in words', () => {
    expect(patternProblems('QT{YYYY}{MM}')).toEqual([{ place: 'pattern', key: 'anb_problem_no_sequence' }]);
    expect(patternProblems('QT{####}-{##}')).toEqual([{ place: 'pattern', key: 'anb_problem_many_sequences' }]);
    expect(patternProblems('QT{YYY}{####}')).toEqual([{ place: 'pattern', key: 'anb_problem_token', params: { token: '{YYY}' } }]);
    expect(patternProblems('QT {####}')).toEqual([{ place: 'pattern', key: 'anb_problem_literal' }]);
    expect(patternProblems(`QT{${'#'.repeat(13)}}`)).toEqual([{ place: 'pattern', key: 'anb_problem_digits', params: { min: 1, max: 12 } }]);
  });

  it('put a part\'s problem at the part', () => {
    const parts: PatternParts = { prefix: 'Q T', date: 'YYYY', separator: '{', digits: 13, suffix: '' };
    expect(partProblems(parts).map((p) => p.place)).toEqual(['prefix', 'separator', 'digits']);
    expect(partProblems({ ...parts, prefix: 'QT', separator: '-', digits: 0 })).toEqual([{ place: 'digits', key: 'anb_problem_digits', params: { min: 1, max: 12 } }]);
    expect(partProblems({ prefix: 'A'.repeat(60), date: '', separator: '', digits: 4, suffix: '' }).map((p) => p.key)).toEqual(['anb_problem_too_long']);
    expect(partProblems({ prefix: 'QT', date: 'YYYYMM', separator: '-', digits: 5, suffix: '' })).toEqual([]);
  });
});

describe('the rule draft', () => {
  const quote: MetadataDocument = {
    kind: 'numbering', name: 'quote_number', label: { 'zh-CN': '报价单号', en: 'Quote number' },
    description: { 'zh-CN': '如 BJ202611-0001。', en: 'E.g. BJ202611-0001.' },
    pattern: 'BJ{YYYY}{MM}-{####}', reset: 'monthly', start: 1, step: 1, allowManual: false,
  };

  it('gives back the stored document when nothing changed, and the new pattern when the parts change', () => {
    const draft = draftOfRule(quote);
    expect(documentOfDraft(draft, quote)).toEqual(quote);
    const changed = withParts(draft, { ...draft.parts!, prefix: 'QT', digits: 5 });
    expect(documentOfDraft(changed, quote)).toEqual({ ...quote, pattern: 'QT{YYYY}{MM}-{#####}' });
    expect(draftProblems(changed, false, ['quote_number'])).toEqual([]);
  });

  it('keeps a typed pattern the parts cannot say, and numbers as typed, for the server to refuse too', () => {
    const draft = withPattern(draftOfRule(quote), '{####}-{YYYY}');
    expect(draft.parts).toBeUndefined();
    expect(documentOfDraft({ ...draft, start: 'x' }, quote)).toMatchObject({ pattern: '{####}-{YYYY}', start: 'x' });
  });

  it('finds every problem at its control', () => {
    const bad = { ...withPattern(draftOfRule(undefined), 'QT{YYYY}{MM}'), name: 'quote_number', start: '-1', step: '0' };
    expect(draftProblems(bad, true, ['quote_number']).map((p) => [p.place, p.key])).toEqual([
      ['pattern', 'anb_problem_no_sequence'],
      ['start', 'anb_problem_number'],
      ['step', 'anb_problem_number'],
      ['name', 'anb_name_taken'],
      ['labelZh', 'anb_problem_required'],
      ['labelEn', 'anb_problem_required'],
    ]);
    expect(previewable(draftProblems(bad, true, []))).toBe(false);
    const unnamed = draftProblems(draftOfRule(undefined), true, []);
    expect(unnamed.map((p) => p.place)).toEqual(['name', 'labelZh', 'labelEn']);
    // A new rule previews before it has a name.
    expect(previewable(unnamed)).toBe(true);
    expect(draftProblems({ ...draftOfRule(undefined), name: 'New', labelZh: '发票号', labelEn: 'Invoice' }, true, []).map((p) => p.key)).toEqual(['anb_problem_name']);
    expect(draftProblems({ ...draftOfRule(undefined), name: 'new', labelZh: '发票号', labelEn: 'Invoice' }, true, []).map((p) => p.key)).toEqual(['anb_name_reserved']);
  });

  it('asks the preview with the fields that shape numbers', () => {
    expect(new URLSearchParams(previewParams(draftOfRule(quote))).get('pattern')).toBe('BJ{YYYY}{MM}-{####}');
    expect(Object.fromEntries(new URLSearchParams(previewParams(draftOfRule(quote))))).toEqual({
      name: 'quote_number', pattern: 'BJ{YYYY}{MM}-{####}', reset: 'monthly', start: '1', step: '1',
    });
  });
});
