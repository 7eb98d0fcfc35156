import { lineParentsOf } from '../engine/metadata/check-model.ts';
import { entitiesOf, isArchivedEntity, type Model } from '../engine/metadata/model.ts';
import type { Access } from '../engine/security/access.ts';
import { label, t, type Locale } from './text/index.ts';
import { moduleLabel, moduleRank } from './text/modules.ts';

export interface NavigationEntity {
  name: string;
  label: string;
  icon?: string;
  canCreate: boolean;
}

export interface NavigationModule {
  name: string;
  label: string;
  entities: NavigationEntity[];
}

/**
 * The menu of a person: the modules and entities their roles may read — modules in the
 * standard order (`moduleRank`), entities as the metadata lists them — labelled in their language. Hidden
 * modules and entities they may not read are not in it; line-item entities never are.
 */
export function navigation(model: Model, access: Access, locale: Locale): NavigationModule[] {
  const lineEntities = lineParentsOf(model);
  const modules = new Map<string, NavigationModule>();
  for (const entity of entitiesOf(model)) {
    if (isArchivedEntity(entity) || lineEntities.has(entity.name)) continue;
    const rights = access.entity(entity.name)?.rights;
    if (!rights?.has('read')) continue;
    const name = entity.schema['x-forma']?.module ?? '';
    let module = modules.get(name);
    if (!module) modules.set(name, (module = { name, label: name ? moduleLabel(name, locale) : t(locale, 'module_other'), entities: [] }));
    module.entities.push({ name: entity.name, label: label(entity.label, locale), icon: entity.schema['x-forma']?.icon, canCreate: rights.has('create') });
  }
  return [...modules.values()].sort((a, b) => moduleRank(a.name) - moduleRank(b.name));
}
