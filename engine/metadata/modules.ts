import { lineParentsOf } from './check-model.ts';
import { entitiesOf, isArchivedEntity, type EntityDocument, type MetadataDocument, type Model } from './model.ts';

/**
 * A module (模块): a group of entities in the staff menu, with its label, icon and place
 * (`engine/metadata/schemas/module.schema.json`, decision 0014). Membership is the entity's
 * `x-forma.module`; the module only orders its members.
 */
export interface ModuleDocument extends MetadataDocument {
  kind: 'module';
  icon?: string;
  position: number;
  entities?: string[];
}

/** One group of the menu: a module and its entities, in menu order. */
export interface MenuModule {
  /** The module's name; `''` for the entities that name no module. */
  name: string;
  /**
   * The module's document; missing for `''` and for a name entities use without a document
   * (a workspace from before modules were documents), which the menu shows by its name.
   */
  document?: ModuleDocument;
  entities: EntityDocument[];
}

export function isModule(doc: MetadataDocument): doc is ModuleDocument {
  return doc.kind === 'module';
}

/** Machine names in code-point order (they are ASCII): the same on every server, whatever its locale. */
const byName = (a: { name: string }, b: { name: string }) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

/** The module documents of a model, in menu order: by position, then by name. */
export function modulesOf(model: Model): ModuleDocument[] {
  return [...model.values()].filter(isModule).sort((a, b) => a.position - b.position || byName(a, b));
}


/**
 * The menu a model describes, before anyone's permissions: every module document in order
 * (empty ones too), then the module names entities use without a document (by name), then the
 * entities naming no module. Within a module, the entities its document lists come first in
 * that order, the others after them by name. Archived and line-item entities (reached through
 * their document) are never in it; names a module lists that are not its entities (any more)
 * are ignored.
 *
 * @example moduleMenu(model).map((m) => [m.name, m.entities.map((e) => e.name)])
 *   // [['customers', ['customer', 'contact', 'activity']], ['sales', ['opportunity', …]], …]
 */
export function moduleMenu(model: Model): MenuModule[] {
  const lineEntities = lineParentsOf(model);
  const groups = new Map<string, MenuModule>(modulesOf(model).map((doc) => [doc.name, { name: doc.name, document: doc, entities: [] }]));
  const unassigned: MenuModule = { name: '', entities: [] };
  for (const entity of entitiesOf(model).sort(byName)) {
    if (isArchivedEntity(entity) || lineEntities.has(entity.name)) continue;
    const name = entity.schema['x-forma']?.module;
    if (!name) {
      unassigned.entities.push(entity);
      continue;
    }
    let group = groups.get(name);
    if (!group) groups.set(name, (group = { name, entities: [] }));
    group.entities.push(entity);
  }
  const documented = [...groups.values()].filter((group) => group.document);
  const nameOnly = [...groups.values()].filter((group) => !group.document).sort(byName);
  for (const group of documented) {
    const listed = group.document?.entities ?? [];
    const rank = (entity: EntityDocument) => {
      const at = listed.indexOf(entity.name);
      return at === -1 ? listed.length : at;
    };
    // Stable: the unlisted keep their name order.
    group.entities.sort((a, b) => rank(a) - rank(b));
  }
  return [...documented, ...nameOnly, ...(unassigned.entities.length ? [unassigned] : [])];
}
