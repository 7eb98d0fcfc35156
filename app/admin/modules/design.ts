// The module designer's state and the change it makes (client-safe: no server imports). The
// admin arranges modules and entities; `draftOf` turns the arrangement into the documents that
// say it — module documents (label, icon, position, entity order) and the entity documents
// whose `x-forma.module` changed — as ONE DraftChange.
import { arrayMove } from '@dnd-kit/sortable';
import type { LocalizedText } from '../../../engine/i18n/text.ts';
import type { EntityDocument, MetadataDocument } from '../../../engine/metadata/model.ts';
import type { ModuleDocument } from '../../../engine/metadata/modules.ts';
import type { DraftChange } from '../change.ts';
import { MACHINE_NAME } from '../entities/names.ts';

/** What the designer starts from: the workspace's modules, entities and roles at one version. */
export interface ModuleDesignData {
  /** The menu's modules in order: those with a document, then names used without one (by entities, or only by roles). */
  modules: { name: string; document?: ModuleDocument; entities: string[] }[];
  /** The entities that name no module. */
  unassigned: string[];
  /** The documents of the entities the menu shows and of their line-item entities, by name. */
  entities: Record<string, EntityDocument>;
  /** The line-item entities of an entity: they move with it (roles reach lines through their module). */
  lineEntities: Record<string, string[]>;
  /** The roles that show or hide modules (`modules` of a role document). */
  roles: MetadataDocument[];
}

/** One module as the admin arranges it. */
export interface DesignModule {
  /** Stable while the admin edits (dragging, React keys): the name of a module that exists, `+N` for one added here. */
  key: string;
  name: string;
  label: LocalizedText;
  icon?: string;
  /** Its entities in menu order. */
  entities: string[];
  /** Added in this designer: its name may still change. */
  added: boolean;
  /** Exists only as a name entities use (a workspace from before modules were documents): applying creates its document. */
  undocumented: boolean;
}

/** The arrangement: modules in menu order, and the entities in no module. */
export interface ModuleDesign {
  modules: DesignModule[];
  unassigned: string[];
}

/** The arrangement the workspace has now. A module without a document starts labelled with its name. */
export function initialDesign(data: ModuleDesignData): ModuleDesign {
  return {
    modules: data.modules.map((m) => ({
      key: m.name, name: m.name, label: m.document?.label ?? { 'zh-CN': m.name, en: m.name }, icon: m.document?.icon,
      entities: [...m.entities], added: false, undocumented: !m.document,
    })),
    unassigned: [...data.unassigned],
  };
}

/** A new, empty module at the end of the menu (its key unique in the design). */
export function addModule(design: ModuleDesign): ModuleDesign {
  const keys = new Set(design.modules.map((m) => m.key));
  let n = 1;
  while (keys.has(`+${n}`)) n += 1;
  const module: DesignModule = { key: `+${n}`, name: '', label: { 'zh-CN': '', en: '' }, entities: [], added: true, undocumented: false };
  return { ...design, modules: [...design.modules, module] };
}

/** The design with one module changed. */
export function updateModule(design: ModuleDesign, key: string, change: Partial<Pick<DesignModule, 'name' | 'label' | 'icon'>>): ModuleDesign {
  return { ...design, modules: design.modules.map((m) => (m.key === key ? { ...m, ...change } : m)) };
}

/** The design without an empty module (one holding entities stays: they must go somewhere first). */
export function removeModule(design: ModuleDesign, key: string): ModuleDesign {
  return { ...design, modules: design.modules.filter((m) => m.key !== key || m.entities.length > 0) };
}

/** The module at `from` moved to `to` (indexes in menu order; out of range: unchanged). */
export function moveModule(design: ModuleDesign, from: number, to: number): ModuleDesign {
  if (from === to || !inRange(from, design.modules) || !inRange(to, design.modules)) return design;
  return { ...design, modules: arrayMove(design.modules, from, to) };
}

/** The key of the entities in no module, where `moveEntity` takes them. */
export const UNASSIGNED = '';

/** Which module (key) holds an entity; `UNASSIGNED` for one in no module, undefined for one not in the design. */
export function moduleOfEntity(design: ModuleDesign, entity: string): string | undefined {
  if (design.unassigned.includes(entity)) return UNASSIGNED;
  return design.modules.find((m) => m.entities.includes(entity))?.key;
}

/**
 * The entity moved into the module `to` (a key, or `UNASSIGNED`) at `index` (its end when
 * omitted or past it): within its module this reorders it, into another it changes the
 * entity's module.
 */
export function moveEntity(design: ModuleDesign, entity: string, to: string, index?: number): ModuleDesign {
  const from = moduleOfEntity(design, entity);
  if (from === undefined || (to !== UNASSIGNED && !design.modules.some((m) => m.key === to))) return design;
  const without = (list: string[]) => list.filter((name) => name !== entity);
  const into = (list: string[]) => {
    const rest = without(list);
    const at = index === undefined ? rest.length : Math.max(0, Math.min(index, rest.length));
    return [...rest.slice(0, at), entity, ...rest.slice(at)];
  };
  const listOf = (key: string, list: string[]) => (key === to ? into(list) : key === from ? without(list) : list);
  return {
    modules: design.modules.map((m) => ({ ...m, entities: listOf(m.key, m.entities) })),
    unassigned: listOf(UNASSIGNED, design.unassigned),
  };
}

/** What can be wrong at a module's controls before the engine sees it, as text keys. */
export interface ModuleProblems {
  name?: 'am_name_empty' | 'am_name_pattern' | 'am_name_taken';
  'zh-CN'?: 'am_label_empty';
  en?: 'am_label_empty';
}

/**
 * The mistakes the designer sees at once: a new module's machine name (empty, not a machine
 * name, or taken — a module is keyed by its name, so a "new" one under a taken name would replace
 * the other) and empty labels.
 */
export function moduleProblems(design: ModuleDesign, module: DesignModule): ModuleProblems {
  const problems: ModuleProblems = {};
  if (module.added) {
    if (!module.name) problems.name = 'am_name_empty';
    else if (!MACHINE_NAME.test(module.name)) problems.name = 'am_name_pattern';
    else if (design.modules.some((m) => m !== module && m.name === module.name)) problems.name = 'am_name_taken';
  }
  for (const locale of ['zh-CN', 'en'] as const) if (!module.label[locale]?.trim()) problems[locale] = 'am_label_empty';
  return problems;
}

/**
 * The ONE change the arrangement makes: every module document that differs (new, relabelled,
 * another icon, moved, its entities other or in another order), the removal of module documents no longer in the
 * design, each entity whose module changed with its line-item entities, and the roles that
 * showed or hid a removed module, without it. Positions follow the menu order: the present ones
 * are kept while they still ascend, else all become 10, 20, 30…
 *
 * @example draftOf(data, moveEntity(initialDesign(data), 'contract', 'customers')).upsert.map((d) => `${d.kind}:${d.name}`)
 *   // ['module:customers', 'module:sales', 'entity:contract']
 */
export function draftOf(data: ModuleDesignData, design: ModuleDesign): DraftChange {
  const before = new Map(data.modules.flatMap((m) => (m.document ? [[m.name, m.document] as const] : [])));
  const shownBefore = new Map(data.modules.map((m) => [m.name, m.entities.join()]));
  const kept = (m: DesignModule) => (m.added ? undefined : before.get(m.name));
  const positions = positionsOf(design.modules.map((m) => kept(m)?.position));
  const upsert: MetadataDocument[] = [];

  for (const [i, m] of design.modules.entries()) {
    const old = kept(m);
    const { icon: _icon, entities: listed, ...rest } = old ?? ({} as Partial<ModuleDocument>);
    // The same entities in the same order: the document's own list stands (members it leaves out
    // still come after the listed ones), less names that are no longer its entities.
    const reordered = !old || shownBefore.get(m.name) !== m.entities.join();
    const entities = reordered ? m.entities : listed?.filter((name) => m.entities.includes(name));
    const doc: ModuleDocument = {
      ...rest, kind: 'module', name: m.name, label: trimmed(m.label), ...(m.icon ? { icon: m.icon } : {}), position: positions[i]!,
      ...(entities ? { entities } : {}),
    };
    const { entities: _old, ...oldSettings } = old ?? {};
    const { entities: _new, ...newSettings } = doc;
    if (reordered || canonical(oldSettings) !== canonical(newSettings)) upsert.push(doc);
  }

  // A module added under the name of one removed replaces it: its document is written, not removed.
  const staying = new Set(design.modules.map((m) => m.name));
  // Dropped: documents to remove, and (documented or not) names for the roles to forget.
  const dropped = data.modules.map((m) => m.name).filter((name) => !staying.has(name));
  const removed = dropped.filter((name) => before.has(name));

  const target = new Map<string, string | undefined>([
    ...design.modules.flatMap((m) => m.entities.map((e) => [e, m.name] as const)),
    ...design.unassigned.map((e) => [e, undefined] as const),
  ]);
  for (const [entity, module] of target) {
    for (const name of [entity, ...(data.lineEntities[entity] ?? [])]) {
      const doc = data.entities[name];
      if (doc && doc.schema['x-forma']?.module !== module) upsert.push(withModule(doc, module));
    }
  }

  for (const role of data.roles) {
    const modules = (role.modules ?? {}) as Record<string, unknown>;
    if (!dropped.some((name) => name in modules)) continue;
    const rest = Object.fromEntries(Object.entries(modules).filter(([name]) => !dropped.includes(name)));
    const { modules: _modules, ...body } = role;
    upsert.push(Object.keys(rest).length ? { ...body, modules: rest } : body);
  }
  return { upsert, ...(removed.length ? { remove: removed.map((name) => ({ kind: 'module', name })) } : {}) };
}

/** The positions of modules in menu order: theirs while each has one and they ascend, else 10, 20, 30… */
function positionsOf(present: (number | undefined)[]): number[] {
  const ascending = present.every((p, i) => p !== undefined && (i === 0 || p > present[i - 1]!));
  return ascending ? (present as number[]) : present.map((_, i) => (i + 1) * 10);
}

/** The entity document in another module (none: `undefined`), everything else as it was. */
function withModule(doc: EntityDocument, module: string | undefined): EntityDocument {
  const { module: _old, ...options } = doc.schema['x-forma'] ?? {};
  return { ...doc, schema: { ...doc.schema, 'x-forma': { ...options, ...(module ? { module } : {}) } } };
}

function trimmed(label: LocalizedText): LocalizedText {
  return Object.fromEntries(Object.entries(label).map(([locale, text]) => [locale, text.trim()])) as LocalizedText;
}

/** JSON with object keys sorted: two documents compare equal whatever order their keys were written in. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : 1))) : v);
}

function inRange(index: number, list: readonly unknown[]): boolean {
  return Number.isInteger(index) && index >= 0 && index < list.length;
}
