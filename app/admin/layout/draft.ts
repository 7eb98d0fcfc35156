// The form layout designer's draft (client-safe, pure): a layout document as the designer edits
// it — sections with their placed fields, tabs, and the palette of the entity's fields not placed
// yet — every edit a function returning a new draft, and the document the draft stands for.
import type { LocalizedText } from '../../../engine/i18n/text.ts';
import type { MetadataDocument } from '../../../engine/metadata/model.ts';

/** A JSON Schema condition on the record (`visibleWhen`, `requiredWhen`). */
export type Condition = Record<string, unknown>;

/** Where the palette is, for moves: a field moved there is no longer placed. */
export const PALETTE = '_palette';

/**
 * A field as the designer holds it, placed or in the palette: `id` tells two placements of the
 * same field apart (a layout written by hand may repeat one: the designer shows it as a problem).
 */
export interface Placement {
  id: string;
  field: string;
  span: number;
  readOnly: boolean;
  visibleWhen?: Condition;
  requiredWhen?: Condition;
}

export interface DraftSection {
  name: string;
  label: LocalizedText;
  columns: number;
  tab?: string;
  fields: Placement[];
}

export interface DraftTab {
  name: string;
  label: LocalizedText;
}

export interface LayoutDraft {
  /** The document's own settings, kept as loaded (name, label, entity, type, description, uiSchema). */
  envelope: MetadataDocument;
  tabs: DraftTab[];
  sections: DraftSection[];
  /** The entity's active fields not placed, in the entity's order. */
  palette: Placement[];
}

/** What the designer knows of one field of the entity. */
export interface FieldInfo {
  name: string;
  label: string;
  type: string;
  archived: boolean;
  /** Whether a request may write it (not a formula, nor a number the rule draws): only those can be required. */
  writable: boolean;
  /** select / multiselect: the options, for conditions. */
  options?: { value: string; label: string }[];
}

type Item = string | { field: string; span?: number; readOnly?: boolean; visibleWhen?: Condition; requiredWhen?: Condition };

const placement = (id: string, item: Item): Placement => (typeof item === 'string'
  ? { id, field: item, span: 1, readOnly: false }
  : {
    id, field: item.field, span: item.span ?? 1, readOnly: item.readOnly === true,
    ...(item.visibleWhen ? { visibleWhen: item.visibleWhen } : {}), ...(item.requiredWhen ? { requiredWhen: item.requiredWhen } : {}),
  });

/**
 * The draft of a layout document, or — for an entity without one — of a new layout `name`
 * with one section holding every active field. Fields the document does not place are the
 * palette; a field placed twice keeps both placements (ids `name`, `name~2`).
 *
 * @example draftOf(undefined, { name: 'customer_form', entity: 'customer', label: { 'zh-CN': '客户', en: 'Customer' } }, fields)
 */
export function draftOf(document: MetadataDocument | undefined, fresh: { name: string; entity: string; label: LocalizedText }, fields: FieldInfo[]): LayoutDraft {
  const active = fields.filter((f) => !f.archived);
  if (!document) {
    return {
      envelope: {
        kind: 'layout', name: fresh.name, entity: fresh.entity, type: 'form',
        label: { 'zh-CN': `${fresh.label['zh-CN']}表单`, en: `${fresh.label.en} form` },
      },
      tabs: [],
      sections: [{ name: 'main', label: { ...fresh.label }, columns: 2, fields: active.map((f) => placement(f.name, f.name)) }],
      palette: [],
    };
  }
  const { sections = [], tabs = [], ...envelope } = document as MetadataDocument & { sections?: { name: string; label: LocalizedText; columns?: number; tab?: string; fields: Item[] }[]; tabs?: DraftTab[] };
  const seen = new Map<string, number>();
  const idOf = (field: string) => {
    const n = (seen.get(field) ?? 0) + 1;
    seen.set(field, n);
    return n === 1 ? field : `${field}~${n}`;
  };
  const draftSections = sections.map((s) => ({
    name: s.name, label: { ...s.label }, columns: s.columns ?? 2, ...(s.tab ? { tab: s.tab } : {}),
    fields: s.fields.map((item) => placement(idOf(typeof item === 'string' ? item : item.field), item)),
  }));
  return {
    envelope: envelope as MetadataDocument,
    tabs: tabs.map((tab) => ({ name: tab.name, label: { ...tab.label } })),
    sections: draftSections,
    palette: active.filter((f) => !seen.has(f.name)).map((f) => placement(f.name, f.name)),
  };
}

/** The layout document a draft stands for: bare field names where nothing else is set, tabs only when there are any. */
export function layoutDocument(draft: LayoutDraft): MetadataDocument {
  const item = (p: Placement): Item => (p.span === 1 && !p.readOnly && !p.visibleWhen && !p.requiredWhen ? p.field : {
    field: p.field,
    ...(p.span !== 1 ? { span: p.span } : {}),
    ...(p.readOnly ? { readOnly: true } : {}),
    ...(p.visibleWhen ? { visibleWhen: p.visibleWhen } : {}),
    ...(p.requiredWhen ? { requiredWhen: p.requiredWhen } : {}),
  });
  return {
    ...draft.envelope,
    ...(draft.tabs.length ? { tabs: draft.tabs.map((tab) => ({ name: tab.name, label: tab.label })) } : {}),
    sections: draft.sections.map((s) => ({
      name: s.name, label: s.label, columns: s.columns, ...(s.tab ? { tab: s.tab } : {}), fields: s.fields.map(item),
    })),
  };
}

/** JSON with object keys sorted: a document (or condition) written in another key order is the same one. */
export function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => (v && typeof v === 'object' && !Array.isArray(v)
    ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)))
    : v));
}

/** Where a placement is: its section (or the palette) and its index there. */
export function locate(draft: LayoutDraft, id: string): { container: string; index: number } | undefined {
  const inPalette = draft.palette.findIndex((p) => p.id === id);
  if (inPalette >= 0) return { container: PALETTE, index: inPalette };
  for (const section of draft.sections) {
    const index = section.fields.findIndex((p) => p.id === id);
    if (index >= 0) return { container: section.name, index };
  }
  return undefined;
}

/** The placement with this id, wherever it is. */
export function placementOf(draft: LayoutDraft, id: string): Placement | undefined {
  return [...draft.palette, ...draft.sections.flatMap((s) => s.fields)].find((p) => p.id === id);
}

/**
 * Moves a placement into a section at `index` (its end when omitted or past it), or back to the
 * palette (which keeps the entity's field order, `order`). Its settings go with it, so a field
 * dragged out and back in keeps its conditions.
 */
export function moveField(draft: LayoutDraft, id: string, container: string, index: number | undefined, order: readonly string[]): LayoutDraft {
  const moving = placementOf(draft, id);
  if (!moving || (container !== PALETTE && !draft.sections.some((s) => s.name === container))) return draft;
  const without = (list: Placement[]) => list.filter((p) => p.id !== id);
  const insert = (list: Placement[]) => {
    const rest = without(list);
    const at = index === undefined ? rest.length : Math.max(0, Math.min(index, rest.length));
    return [...rest.slice(0, at), moving, ...rest.slice(at)];
  };
  const rank = (p: Placement) => {
    const i = order.indexOf(p.field);
    return i < 0 ? order.length : i;
  };
  return {
    ...draft,
    palette: container === PALETTE ? [...without(draft.palette), moving].sort((a, b) => rank(a) - rank(b)) : without(draft.palette),
    sections: draft.sections.map((s) => ({ ...s, fields: s.name === container ? insert(s.fields) : without(s.fields) })),
  };
}

/** Changes the settings of one placement (span, read-only, conditions; a condition set to undefined is removed). */
export function updatePlacement(draft: LayoutDraft, id: string, patch: Partial<Omit<Placement, 'id' | 'field'>>): LayoutDraft {
  const update = (p: Placement): Placement => {
    if (p.id !== id) return p;
    const next: Placement = { ...p, ...patch };
    if (next.visibleWhen === undefined) delete next.visibleWhen;
    if (next.requiredWhen === undefined) delete next.requiredWhen;
    return next;
  };
  return { ...draft, sections: draft.sections.map((s) => ({ ...s, fields: s.fields.map(update) })) };
}

/** A machine name `<prefix>_<n>` no other of `taken` has. */
function freshName(prefix: string, taken: Iterable<string>): string {
  const names = new Set(taken);
  let n = 1;
  while (names.has(`${prefix}_${n}`)) n += 1;
  return `${prefix}_${n}`;
}

/** A new, empty section at the end (on the first tab when there are tabs); the admin then fills and names it. */
export function addSection(draft: LayoutDraft, label: LocalizedText): LayoutDraft {
  const name = freshName('section', draft.sections.map((s) => s.name));
  return { ...draft, sections: [...draft.sections, { name, label, columns: 2, ...(draft.tabs[0] ? { tab: draft.tabs[0].name } : {}), fields: [] }] };
}

/** Removes a section; its fields go back to the palette. */
export function removeSection(draft: LayoutDraft, name: string, order: readonly string[]): LayoutDraft {
  const section = draft.sections.find((s) => s.name === name);
  if (!section) return draft;
  const emptied = section.fields.reduce((d, p) => moveField(d, p.id, PALETTE, undefined, order), draft);
  return { ...emptied, sections: emptied.sections.filter((s) => s.name !== name) };
}

/** Changes a section's titles, columns or tab. */
export function updateSection(draft: LayoutDraft, name: string, patch: Partial<Pick<DraftSection, 'label' | 'columns' | 'tab'>>): LayoutDraft {
  return { ...draft, sections: draft.sections.map((s) => (s.name === name ? { ...s, ...patch } : s)) };
}

function shift<T>(list: T[], index: number, delta: number): T[] {
  const to = index + delta;
  if (index < 0 || to < 0 || to >= list.length) return list;
  const next = [...list];
  const [item] = next.splice(index, 1);
  next.splice(to, 0, item!);
  return next;
}

/** Moves a section up (-1) or down (+1) in the form. */
export function moveSection(draft: LayoutDraft, name: string, delta: number): LayoutDraft {
  return { ...draft, sections: shift(draft.sections, draft.sections.findIndex((s) => s.name === name), delta) };
}

/**
 * Adds a tab at the end. The layout's rule is that once there are tabs every section names one:
 * the first tab takes every section.
 */
export function addTab(draft: LayoutDraft, label: LocalizedText): LayoutDraft {
  const name = freshName('tab', draft.tabs.map((t) => t.name));
  const first = draft.tabs.length === 0;
  return {
    ...draft,
    tabs: [...draft.tabs, { name, label }],
    sections: first ? draft.sections.map((s) => ({ ...s, tab: name })) : draft.sections,
  };
}

/** Renames a tab. */
export function updateTab(draft: LayoutDraft, name: string, label: LocalizedText): LayoutDraft {
  return { ...draft, tabs: draft.tabs.map((t) => (t.name === name ? { ...t, label } : t)) };
}

/** Moves a tab left (-1) or right (+1). */
export function moveTab(draft: LayoutDraft, name: string, delta: number): LayoutDraft {
  return { ...draft, tabs: shift(draft.tabs, draft.tabs.findIndex((t) => t.name === name), delta) };
}

/** Removes a tab: its sections move to the first tab left, or — the last tab gone — the form has no tabs. */
export function removeTab(draft: LayoutDraft, name: string): LayoutDraft {
  const tabs = draft.tabs.filter((t) => t.name !== name);
  const fallback = tabs[0]?.name;
  return {
    ...draft,
    tabs,
    sections: draft.sections.map((s) => {
      if (s.tab !== name) return s;
      const { tab: _gone, ...rest } = s;
      return fallback ? { ...rest, tab: fallback } : rest;
    }),
  };
}
