import { t, type Locale, type TextKey } from '../text/index.ts';
import type { Operator, ValueKind } from './filter.ts';

/** An operator as people read it, for the kind of value: dates are "before/after", multiselects "has". */
export function opLabel(locale: Locale, op: Operator, kind: ValueKind | undefined): string {
  const dated = kind === 'date' || kind === 'datetime';
  if (dated && (op === 'gt' || op === 'gte' || op === 'lt' || op === 'lte')) return t(locale, `list_op_date_${op}` as TextKey);
  if (kind === 'choices') {
    const has: Partial<Record<Operator, TextKey>> = { eq: 'list_op_has', contains: 'list_op_has', ne: 'list_op_has_not', in: 'list_op_has_any', not_in: 'list_op_has_none' };
    if (has[op]) return t(locale, has[op]!);
  }
  return t(locale, `list_op_${op}` as TextKey);
}
