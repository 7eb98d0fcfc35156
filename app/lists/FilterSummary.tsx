import type { ReactNode } from 'react';
import { t, type Locale } from '../text/index.ts';
import { inputOf, LIST_VALUE, NO_VALUE, type FieldChoice, type FilterTree, type Operator } from './filter.ts';
import { opLabel } from './labels.ts';

/**
 * The filter in words, under the toolbar while the builder is closed: each condition as
 * "客户等级 属于 A 类、B 类", joined by 且 / 或, groups in brackets. Clicking it opens the builder.
 */
export function FilterSummary({ filter, fields, locale, onOpen }: { filter: FilterTree; fields: FieldChoice[]; locale: Locale; onOpen(): void }) {
  const byPath = new Map(fields.map((f) => [f.path, f]));
  const describe = (node: FilterTree, top: boolean): ReactNode => {
    const n = node as Record<string, unknown>;
    for (const mode of ['and', 'or'] as const) {
      if (Array.isArray(n[mode])) {
        const parts = (n[mode] as FilterTree[]).map((child, i) => (
          <span key={i}>
            {i > 0 ? <span className="joiner"> {t(locale, mode === 'and' ? 'list_and' : 'list_or')} </span> : null}
            {describe(child, false)}
          </span>
        ));
        return top ? parts : <span className="group">({parts})</span>;
      }
    }
    if (n.not !== undefined) return <span className="chip-condition">{t(locale, 'list_custom_condition')}</span>;
    const field = byPath.get(String(n.field));
    const op = n.op as Operator;
    const shown = (value: string) => field?.options?.find((o) => o.value === value)?.label ?? (field?.kind === 'datetime' ? value.replace('T', ' ') : value);
    const input = NO_VALUE.has(op) ? undefined : inputOf(n.value, op, field);
    const list = Array.isArray(input) ? input : input === undefined ? [] : LIST_VALUE.has(op) ? input.split(/,\s*/) : [input];
    const value = op === 'between' ? list.map(shown).join(` ${t(locale, 'list_between_and')} `) : list.map(shown).join(locale === 'en' ? ', ' : '、');
    return (
      <span className="chip-condition">
        <strong>{field?.label ?? String(n.field)}</strong> {opLabel(locale, op, field?.kind)}{value ? ` ${value}` : ''}
      </span>
    );
  };
  return (
    <button type="button" className="filter-summary" onClick={onOpen} title={t(locale, 'list_filter')}>
      {describe(filter, true)}
    </button>
  );
}
