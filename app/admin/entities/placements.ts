import type { EntityDocument, MetadataDocument } from '../../../engine/metadata/model.ts';
import type { DraftChange } from '../change.ts';

/**
 * A document that places fields of the entity being designed: its own form layouts and list
 * views (`via` empty), and other entities' list views showing its fields one lookup away
 * (`via`: the names of their lookups to it, so `customer.wechat` counts when `customer` is one).
 */
export interface Placement {
  document: MetadataDocument;
  via: string[];
}

type Json = Record<string, unknown>;
type Filter = Json & { and?: Filter[]; or?: Filter[]; not?: Filter; field?: string };
type Section = Json & { name: string; fields: (string | Json)[] };

/** Where a field stood before it was archived: in a section of a form layout, or among a list view's columns. */
export interface FormerSpot {
  kind: 'layout' | 'listView';
  /** The layout or list view. */
  name: string;
  /** The layout's section. */
  section?: string;
  /** The field (path) placed right before it, or null when it came first. */
  after: string | null;
  /** The layout item or column as it was (its span, conditions, width…). */
  item: string | Json;
}

/** The fields an archived field's restore puts back, with where each stood (entities.server.ts `formerSpotsOf`). */
export type FormerSpots = Readonly<Record<string, readonly FormerSpot[]>>;

/**
 * The change a draft of an entity makes: the entity itself, plus the layouts and list views
 * that place a field the draft archives, without that field — archiving a field takes it off the
 * form and the lists in the same change (the engine refuses a layout or list view naming an
 * archived field). Restoring a field puts it back where it stood before it was archived (`former`),
 * as far as the section or the list is still there; a field no section places shows at the form's end.
 *
 * @example entityChange(draft, stored, placements) // { upsert: [draft, customer_form without wechat, …] }
 */
export function entityChange(
  draft: EntityDocument, stored: EntityDocument | undefined, placements: readonly Placement[], former: FormerSpots = {},
): DraftChange {
  const archivedIn = (doc: EntityDocument | undefined, name: string) => doc?.schema.properties[name]?.['x-forma'].archived === true;
  const names = Object.keys(draft.schema.properties);
  const archiving = names.filter((name) => archivedIn(draft, name) && !archivedIn(stored, name));
  const returning = names.filter((name) => !archivedIn(draft, name) && archivedIn(stored, name)).flatMap((name) => former[name] ?? []);
  if (!archiving.length && !returning.length) return { upsert: [draft] };
  const upsert: MetadataDocument[] = [draft];
  const remove: { kind: string; name: string }[] = [];
  for (const { document, via } of placements) {
    const gone = new Set(via.length ? via.flatMap((lookup) => archiving.map((f) => `${lookup}.${f}`)) : archiving);
    const named = (path: unknown) => typeof path === 'string' && (gone.has(path) || (!via.length && gone.has(path.split('.')[0]!)));
    let next = !archiving.length ? document : document.kind === 'layout' ? layoutWithout(document, named) : listViewWithout(document, named);
    for (const spot of returning) {
      if (next && spot.kind === next.kind && spot.name === next.name) next = spot.kind === 'layout' ? layoutWith(next, spot) : listViewWith(next, spot);
    }
    if (next === document) continue;
    if (next) upsert.push(next);
    else remove.push({ kind: document.kind, name: document.name });
  }
  return remove.length ? { upsert, remove } : { upsert };
}

/**
 * Where the documents placing an entity's fields placed one of them (`wechat`, or `customer.wechat`
 * in another entity's list): given the placements as they were before the field was archived.
 */
export function formerSpots(placements: readonly Placement[], field: string): FormerSpot[] {
  return placements.flatMap(({ document, via }): FormerSpot[] => {
    const paths = new Set(via.length ? via.map((lookup) => `${lookup}.${field}`) : [field]);
    const spotIn = (items: readonly (string | Json)[], section?: string): FormerSpot | undefined => {
      const at = items.findIndex((item) => paths.has(itemField(item)));
      if (at < 0) return undefined;
      return { kind: document.kind as FormerSpot['kind'], name: document.name, ...(section ? { section } : {}), after: at ? itemField(items[at - 1]!) : null, item: items[at]! };
    };
    const spot = document.kind === 'layout'
      ? (document.sections as Section[]).map((s) => spotIn(s.fields, s.name)).find((found) => found !== undefined)
      : spotIn(document.columns as Json[]);
    return spot ? [spot] : [];
  });
}

/** The field a layout item or a list column places. */
const itemField = (item: string | Json) => (typeof item === 'string' ? item : String(item.field));

/** `items` with `item` after the item placing `after` (first when null, last when that item is gone). */
function inserted<T extends string | Json>(items: readonly T[], item: T, after: string | null): T[] {
  const at = after === null ? 0 : items.findIndex((i) => itemField(i) === after) + 1 || items.length;
  return [...items.slice(0, at), item, ...items.slice(at)];
}

/** A layout with the field back in its section; the same object when the section is gone or the field placed already. */
function layoutWith(layout: MetadataDocument, spot: FormerSpot): MetadataDocument {
  const sections = layout.sections as Section[];
  const field = itemField(spot.item);
  if (!sections.some((s) => s.name === spot.section) || sections.some((s) => s.fields.some((item) => itemField(item) === field))) return layout;
  return { ...layout, sections: sections.map((s) => (s.name === spot.section ? { ...s, fields: inserted(s.fields, spot.item, spot.after) } : s)) };
}

/** A list view with the column back; the same object when it shows the field already. */
function listViewWith(view: MetadataDocument, spot: FormerSpot): MetadataDocument {
  const columns = view.columns as Json[];
  if (columns.some((c) => c.field === itemField(spot.item))) return view;
  return { ...view, columns: inserted(columns, spot.item as Json, spot.after) };
}

/** A layout without the named fields (and sections left empty); undefined when no section is left; the same object when nothing changes. */
function layoutWithout(layout: MetadataDocument, named: (path: unknown) => boolean): MetadataDocument | undefined {
  const sections = layout.sections as Section[];
  if (!sections.some((s) => s.fields.some((item) => named(itemField(item))))) return layout;
  const kept = sections
    .map((s) => ({ ...s, fields: s.fields.filter((item) => !named(itemField(item))) }))
    .filter((s) => s.fields.length);
  return kept.length ? { ...layout, sections: kept } : undefined;
}

/** A list view without the named columns, sort keys, filter conditions and board fields; undefined when no column is left. */
function listViewWithout(view: MetadataDocument, named: (path: unknown) => boolean): MetadataDocument | undefined {
  const columns = (view.columns as Json[]).filter((c) => !named(c.field));
  const sort = view.defaultSort as Json[] | undefined;
  const filter = view.defaultFilter as Filter | undefined;
  const kanban = view.kanban as (Json & { groupBy: string; cardFields: string[] }) | undefined;
  const prunedFilter = filter && filterWithout(filter, named);
  const cards = kanban?.cardFields.filter((f) => !named(f));
  const changed = columns.length !== (view.columns as Json[]).length || sort?.some((k) => named(k.field))
    || prunedFilter !== filter || (kanban && (named(kanban.groupBy) || cards!.length !== kanban.cardFields.length));
  if (!changed) return view;
  if (!columns.length) return undefined;
  const { defaultSort: _s, defaultFilter: _f, kanban: _k, ...rest } = view;
  const keptSort = sort?.filter((k) => !named(k.field));
  return {
    ...rest, columns,
    ...(keptSort?.length ? { defaultSort: keptSort } : {}),
    ...(prunedFilter ? { defaultFilter: prunedFilter } : {}),
    ...(kanban && !named(kanban.groupBy) && cards!.length ? { kanban: { ...kanban, cardFields: cards } } : {}),
  };
}

/** A filter tree without the conditions on named fields (an and/or left empty goes too); the same object when nothing changes. */
function filterWithout(filter: Filter, named: (path: unknown) => boolean): Filter | undefined {
  if (filter.field !== undefined) return named(filter.field) ? undefined : filter;
  if (filter.not) {
    const inner = filterWithout(filter.not, named);
    return inner === filter.not ? filter : inner && { not: inner };
  }
  const key = filter.and ? 'and' : 'or';
  const items = filter[key]!;
  const kept = items.map((item) => filterWithout(item, named));
  if (kept.every((item, i) => item === items[i])) return filter;
  const left = kept.filter((item): item is Filter => item !== undefined);
  return left.length ? { [key]: left } : undefined;
}
