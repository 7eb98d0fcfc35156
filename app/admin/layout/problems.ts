// Problems at the control they are about (client-safe): the layout designer's own checks of the
// draft, and the engine's problems (JSON Pointers into the layout document) mapped to the same
// controls. Controls are named by strings: `section:<name>`, `section:<name>:label.en`,
// `field:<id>`, `field:<id>:requiredWhen`, `tab:<name>:label.zh-CN`, `layout` for the rest.
import { conditionError } from '../../../engine/metadata/layout-conditions.ts';
import { t, type Locale, type TextKey } from '../../text/index.ts';
import type { ProblemView } from '../change.ts';
import { conditionFields } from './conditions.ts';
import type { Condition, FieldInfo, LayoutDraft } from './draft.ts';

/** A problem in the admin's language at one control. */
export interface DesignerProblem {
  at: string;
  message: string;
}

/** The kinds of condition a placement has. */
export type ConditionKind = 'visibleWhen' | 'requiredWhen';

const LANGUAGES = ['zh-CN', 'en'] as const;

/** The names of the designer's controls, for problems to point at. */
export const control = {
  layout: 'layout',
  section: (name: string) => `section:${name}`,
  sectionLabel: (name: string, lang: string) => `section:${name}:label.${lang}`,
  sectionTab: (name: string) => `section:${name}:tab`,
  field: (id: string) => `field:${id}`,
  condition: (id: string, kind: ConditionKind) => `field:${id}:${kind}`,
  tab: (name: string) => `tab:${name}`,
  tabLabel: (name: string, lang: string) => `tab:${name}:label.${lang}`,
};

/**
 * What the designer sees wrong with a draft before asking the engine: empty titles, empty
 * sections, sections off the tabs, fields that are unknown, archived or placed twice, and
 * conditions that are not JSON Schema, name fields the entity does not have, or require a field
 * staff cannot fill in. The engine checks the rest (`validate`) — and refuses unknown and
 * archived fields and empty sections itself.
 *
 * @example draftProblems(draft, fields, 'en') // [{ at: 'section:section_2', message: 'This section has no fields: …' }]
 */
export function draftProblems(draft: LayoutDraft, fields: ReadonlyMap<string, FieldInfo>, locale: Locale): DesignerProblem[] {
  const problems: DesignerProblem[] = [];
  const report = (at: string, key: TextKey, params: Record<string, unknown> = {}) => problems.push({ at, message: t(locale, key, params) });
  const tabs = new Set(draft.tabs.map((tab) => tab.name));
  for (const tab of draft.tabs) {
    for (const lang of LANGUAGES) if (!tab.label[lang].trim()) report(control.tabLabel(tab.name, lang), 'al_err_title_empty');
  }
  const placed = new Set<string>();
  for (const section of draft.sections) {
    for (const lang of LANGUAGES) if (!section.label[lang].trim()) report(control.sectionLabel(section.name, lang), 'al_err_title_empty');
    if (!section.fields.length) report(control.section(section.name), 'al_err_section_empty');
    if (tabs.size && (!section.tab || !tabs.has(section.tab))) report(control.sectionTab(section.name), 'al_err_section_tab');
    else if (!tabs.size && section.tab) report(control.sectionTab(section.name), 'al_err_section_tab_unknown', { tab: section.tab });
    for (const p of section.fields) {
      const info = fields.get(p.field);
      if (!info) report(control.field(p.id), 'al_err_field_unknown', { field: p.field });
      else if (info.archived) report(control.field(p.id), 'al_err_field_archived', { field: info.label });
      else if (placed.has(p.field)) report(control.field(p.id), 'al_err_field_twice', { field: info.label });
      placed.add(p.field);
      for (const kind of ['visibleWhen', 'requiredWhen'] as const) {
        const condition = p[kind];
        if (condition) conditionProblems(condition, fields, (key, params) => report(control.condition(p.id, kind), key, params));
      }
      if (p.requiredWhen && (p.readOnly || info?.writable === false)) report(control.condition(p.id, 'requiredWhen'), 'al_err_required_read_only');
    }
  }
  return problems;
}

/** A condition's own problems: not a JSON Schema the engine compiles, or naming fields the entity does not have. */
export function conditionProblems(
  condition: Condition, fields: ReadonlyMap<string, FieldInfo>, report: (key: TextKey, params?: Record<string, unknown>) => void,
): void {
  const error = conditionError(condition);
  if (error) return report('al_err_condition_schema', { detail: error });
  for (const name of conditionFields(condition)) {
    const info = fields.get(name);
    if (!info || info.archived) report('al_err_condition_field', { field: name });
  }
}

/**
 * The engine's problems about the layout document at the control that edits the place they
 * point at: a section's title in one language, its tab, a field's placement or condition, a
 * tab's title; anything else at the layout as a whole.
 */
export function engineProblems(draft: LayoutDraft, problems: ProblemView[]): DesignerProblem[] {
  return problems.map((p) => ({ at: controlOf(draft, p.path), message: p.message }));
}

function controlOf(draft: LayoutDraft, path: string): string {
  const [list, index, member, sub, leaf] = path.split('/').slice(1);
  if (list === 'tabs') {
    const tab = draft.tabs[Number(index)];
    if (!tab) return control.layout;
    return member === 'label' && sub && LANGUAGES.includes(sub as 'en') ? control.tabLabel(tab.name, sub) : control.tab(tab.name);
  }
  if (list !== 'sections') return control.layout;
  const section = draft.sections[Number(index)];
  if (!section) return control.layout;
  if (member === 'label') return sub && LANGUAGES.includes(sub as 'en') ? control.sectionLabel(section.name, sub) : control.sectionLabel(section.name, 'zh-CN');
  if (member === 'tab') return control.sectionTab(section.name);
  const placement = member === 'fields' && sub !== undefined ? section.fields[Number(sub)] : undefined;
  if (!placement) return control.section(section.name);
  return leaf === 'visibleWhen' || leaf === 'requiredWhen' ? control.condition(placement.id, leaf) : control.field(placement.id);
}
