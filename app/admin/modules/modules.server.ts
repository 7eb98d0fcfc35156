import { activeFields, documentKey, type EntityDocument, type Model } from '../../../engine/metadata/model.ts';
import { moduleMenu } from '../../../engine/metadata/modules.ts';
import type { ModuleDesignData } from './design.ts';

/**
 * What the module designer starts from: the menu's modules in order with their entities
 * (`moduleMenu`, the staff menu's own order; then names only roles use, in a workspace from
 * before modules were documents), the entities in no module, the documents of those entities
 * and of their line-item entities (a move rewrites their `x-forma.module`), and the roles that
 * show or hide modules (removing a module takes it out of them).
 *
 * @example const data = moduleDesignData(admin.model); data.modules[0] // { name: 'customers', document: {…}, entities: ['customer', 'contact', 'activity'] }
 */
export function moduleDesignData(model: Model): ModuleDesignData {
  const menu = moduleMenu(model);
  const entities: Record<string, EntityDocument> = {};
  const lineEntities: Record<string, string[]> = {};
  for (const entity of menu.flatMap((m) => m.entities)) {
    entities[entity.name] = entity;
    // The model check holds each line-item entity to one active document field.
    const lines = activeFields(entity).flatMap(([, field]) => {
      const child = field['x-forma'].type === 'lines' ? model.get(documentKey({ kind: 'entity', name: field['x-forma'].entity! })) : undefined;
      return child ? [child as EntityDocument] : [];
    });
    if (!lines.length) continue;
    lineEntities[entity.name] = lines.map((line) => line.name);
    for (const line of lines) entities[line.name] = line;
  }
  const roles = [...model.values()].filter((doc) => doc.kind === 'role' && doc.modules && Object.keys(doc.modules).length);
  // A name only roles use (no document, no entity) is a module too: the designer documents or drops it.
  const named = new Set(menu.map((m) => m.name));
  const roleOnly = [...new Set(roles.flatMap((role) => Object.keys(role.modules as object)))].filter((name) => !named.has(name)).sort();
  return {
    modules: [
      ...menu.filter((m) => m.name).map((m) => ({ name: m.name, ...(m.document ? { document: m.document } : {}), entities: m.entities.map((e) => e.name) })),
      ...roleOnly.map((name) => ({ name, entities: [] })),
    ],
    unassigned: menu.find((m) => !m.name)?.entities.map((e) => e.name) ?? [],
    entities,
    lineEntities,
    roles,
  };
}
