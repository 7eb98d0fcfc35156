import { describe, expect, it } from 'vitest';
import { formatCell } from '../../app/format.server.ts';
import { quickText } from '../../app/lists/export.server.ts';
import type { FieldDefinition } from '../../engine/metadata/model.ts';

const field = (type: string, more: Record<string, unknown> = {}) => ({ 'x-forma': { type, label: { 'zh-CN': 'x', en: 'x' }, ...more } }) as unknown as FieldDefinition;

describe('the export\'s fast formatting', () => {
  it('writes numbers, money, dates and moments exactly as the screens do', () => {
    const cases: [FieldDefinition, unknown][] = [
      [field('money'), 500000], [field('money', { currency: 'USD', scale: 0 }), -1234.5], [field('integer'), 1234567],
      [field('decimal', { scale: 3 }), 3.14159], [field('percent', { scale: 1 }), 12.345], [field('date'), '2026-09-30'],
      [field('datetime'), '2026-11-22T16:30:00.000Z'], [field('formula', { resultType: 'money' }), 99.5], [field('money'), null],
    ];
    for (const locale of ['zh-CN', 'en'] as const) {
      for (const [definition, value] of cases) {
        expect(quickText(definition, value, locale), `${definition['x-forma'].type} ${String(value)} ${locale}`).toBe(formatCell(definition, value, { locale, users: new Map() }).text);
      }
    }
    expect(quickText(field('text'), 'x', 'zh-CN')).toBeUndefined();
    expect(quickText(field('select'), 'A', 'zh-CN')).toBeUndefined();
  });
});
