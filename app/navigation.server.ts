import type { Model } from '../engine/metadata/model.ts';
import { moduleMenu } from '../engine/metadata/modules.ts';
import type { Access } from '../engine/security/access.ts';
import { label, type Locale } from './text/index.ts';
import { moduleLabel } from './text/modules.ts';

export interface NavigationEntity {
  name: string;
  label: string;
  icon?: string;
  canCreate: boolean;
}

export interface NavigationModule {
  name: string;
  label: string;
  icon?: string;
  entities: NavigationEntity[];
}

/**
 * The menu of a person: the modules and entities their roles may read, in the order, with the
 * labels and icons of the module documents (`moduleMenu`), labelled in their language. Modules
 * a role hides, entities they may not read and modules left empty are not in it; line-item
 * entities never are.
 */
export function navigation(model: Model, access: Access, locale: Locale): NavigationModule[] {
  return moduleMenu(model).flatMap((module) => {
    const entities = module.entities.flatMap((entity) => {
      const rights = access.entity(entity.name)?.rights;
      if (!rights?.has('read')) return [];
      return [{ name: entity.name, label: label(entity.label, locale), icon: entity.schema['x-forma']?.icon, canCreate: rights.has('create') }];
    });
    if (!entities.length) return [];
    return [{ name: module.name, label: moduleLabel(module, locale), icon: module.document?.icon, entities }];
  });
}
