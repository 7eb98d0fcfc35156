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

/**
 * The change a draft of an entity makes: the entity itself, plus the layouts and list views
 * that place a field the draft archives, without that field — archiving a field takes it off the
 * form and the lists in the same change (the engine refuses a layout or list view naming an
 * archived field). Restoring it does not put it back where it was: the form shows fields no
 * section places at its end, and the admin places it again.
 *
 * @example entityChange(draft, stored, placements) // { upsert: [draft, customer_form without wechat, …] }
 */
export function entityChange(draft: EntityDocument, stored: EntityDocument | undefined, placements: readonly Placement[]): DraftChange {
  const archiving = Object.entries(draft.schema.properties)
    .filter(([name, field]) => field['x-forma'].archived === true && stored?.schema.properties[name]?.['x-forma'].archived !== true)
    .map(([name]) => name);
  if (!archiving.length) return { upsert: [draft] };
  const upsert: MetadataDocument[] = [draft];
  const remove: { kind: string; name: string }[] = [];
  for (const { document, via } of placements) {
    const gone = new Set(via.length ? via.flatMap((lookup) => archiving.map((f) => `${lookup}.${f}`)) : archiving);
    const named = (path: unknown) => typeof path === 'string' && (gone.has(path) || (!via.length && gone.has(path.split('.')[0]!)));
    const pruned = document.kind === 'layout' ? layoutWithout(document, named) : listViewWithout(document, named);
    if (pruned === document) continue;
    if (pruned) upsert.push(pruned);
    else remove.push({ kind: document.kind, name: document.name });
  }
  return remove.length ? { upsert, remove } : { upsert };
}

/** A layout without the named fields (and sections left empty); undefined when no section is left; the same object when nothing changes. */
function layoutWithout(layout: MetadataDocument, named: (path: unknown) => boolean): MetadataDocument | undefined {
  const sections = layout.sections as (Json & { fields: (string | Json)[] })[];
  const fieldOf = (item: string | Json) => (typeof item === 'string' ? item : item.field);
  if (!sections.some((s) => s.fields.some((item) => named(fieldOf(item))))) return layout;
  const kept = sections
    .map((s) => ({ ...s, fields: s.fields.filter((item) => !named(fieldOf(item))) }))
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
