import type { RJSFSchema } from '@rjsf/utils';
import type { LocalizedText } from '../../engine/i18n/text.ts';
import type { MetadataDocument } from '../../engine/metadata/model.ts';
import { label, t, type Locale } from '../text/index.ts';
import type { FieldSpec, FormValues, PlacementSpec, SectionSpec, TabSpec } from './types.ts';
import { isEmpty } from './values.ts';

/**
 * The admin's layout as a record form applies it, in the browser as on the server: the layout
 * document's sections and tabs over the fields a person sees (`layoutSections`, used by the
 * form's loader and by the layout designer's live preview on its draft), and the layout's
 * `requiredWhen` conditions — JSON Schema on the record — turned into the form's required marks
 * and checked before a save. The engine holds every write to the same conditions
 * (engine/records/layout-rules.ts).
 */

type Condition = Record<string, unknown>;
type LayoutItem = string | { field: string; span?: number; visibleWhen?: Condition; requiredWhen?: Condition; readOnly?: boolean };
interface LayoutSection {
  name: string;
  label: Partial<LocalizedText>;
  columns?: number;
  tab?: string;
  fields: LayoutItem[];
}

/**
 * The layout's sections with the fields of the form placed in them (spans capped by the
 * section's columns, `lines` fields across the whole section); without a layout, one section of
 * two columns with every field. Unplaced fields get a last section.
 */
export function layoutSections(
  layout: MetadataDocument | undefined, entity: { label: Partial<LocalizedText> }, fields: Record<string, FieldSpec>, locale: Locale,
): { sections: SectionSpec[]; tabs: TabSpec[] } {
  const configured = (layout?.sections as LayoutSection[] | undefined)
    ?? [{ name: 'main', label: entity.label, columns: 2, fields: Object.keys(fields) }];
  const tabs = ((layout?.tabs as { name: string; label: Partial<LocalizedText> }[] | undefined) ?? [])
    .map((tab) => ({ name: tab.name, label: label(tab.label, locale) || tab.name }));
  const placed = new Set<string>();
  const sections: SectionSpec[] = configured.map((section) => {
    const columns = Math.min(Math.max(section.columns ?? 2, 1), 3);
    const placements: PlacementSpec[] = [];
    for (const item of section.fields) {
      const name = typeof item === 'string' ? item : item.field;
      const spec = fields[name];
      if (!spec || placed.has(name)) continue;
      placed.add(name);
      const span = spec.type === 'lines' ? columns : Math.min(typeof item === 'string' ? 1 : item.span ?? 1, columns);
      placements.push({
        name, span,
        ...(typeof item !== 'string' && item.visibleWhen ? { visibleWhen: item.visibleWhen } : {}),
        ...(typeof item !== 'string' && item.requiredWhen ? { requiredWhen: item.requiredWhen } : {}),
        ...(typeof item !== 'string' && item.readOnly ? { readOnly: true } : {}),
      });
    }
    return { name: section.name, label: label(section.label, locale), columns, ...(section.tab ? { tab: section.tab } : {}), fields: placements };
  });
  const rest = Object.values(fields).filter((f) => !placed.has(f.name));
  if (rest.length) {
    sections.push({
      name: '_other', label: t(locale, 'form_other_fields'), columns: 2, ...(tabs[0] ? { tab: tabs[0].name } : {}),
      fields: rest.map((f) => ({ name: f.name, span: f.type === 'lines' || f.type === 'richtext' ? 2 : 1 })),
    });
  }
  return { sections: sections.filter((s) => s.fields.length), tabs };
}

/** The placements whose `requiredWhen` a person can act on: conditions on fields they may write. */
function conditionallyRequired(sections: SectionSpec[], fields: Record<string, FieldSpec>): (PlacementSpec & { requiredWhen: Condition })[] {
  return sections.flatMap((s) => s.fields)
    .filter((p): p is PlacementSpec & { requiredWhen: Condition } => p.requiredWhen !== undefined && !p.readOnly && fields[p.name]?.readOnly === false);
}

/**
 * The form's JSON Schema with the layout's `requiredWhen` as `if`/`then` rules, so the form
 * marks a field required (its asterisk) exactly while the values satisfy its condition:
 * react-jsonschema-form resolves conditions against the form's data as it changes.
 *
 * @example withRequiredWhen(schema, sections, fields) // { …schema, allOf: [{ if: {…needs_invoice is true…}, then: { required: ['invoice_title'] } }] }
 */
export function withRequiredWhen(schema: RJSFSchema, sections: SectionSpec[], fields: Record<string, FieldSpec>): RJSFSchema {
  const rules = conditionallyRequired(sections, fields);
  if (!rules.length) return schema;
  return { ...schema, allOf: [...(schema.allOf ?? []), ...rules.map((p) => ({ if: p.requiredWhen, then: { required: [p.name] } }))] };
}

/**
 * The fields the values leave empty although the layout's `requiredWhen` holds for them: what
 * the form refuses to save (the server would refuse it too). `holds` evaluates a condition, with
 * the form's own validator.
 */
export function missingRequired(
  sections: SectionSpec[], fields: Record<string, FieldSpec>, values: FormValues, holds: (condition: Condition, values: FormValues) => boolean,
): string[] {
  return conditionallyRequired(sections, fields).filter((p) => isEmpty(values[p.name]) && holds(p.requiredWhen, values)).map((p) => p.name);
}
