import type { MenuModule } from '../../engine/metadata/modules.ts';
import { label, t, type Locale } from './index.ts';

/**
 * The heading of a menu group in a person's language: its module document's label; the bare
 * name for a module entities name without a document (a workspace from before modules were
 * documents, decision 0014); 其他 / Other for the entities that name no module.
 */
export function moduleLabel(module: Pick<MenuModule, 'name' | 'document'>, locale: Locale): string {
  if (module.document) return label(module.document.label, locale);
  return module.name || t(locale, 'module_other');
}
