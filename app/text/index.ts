import type { Locale } from '../../engine/i18n/text.ts';
import { fillText } from '../../engine/i18n/text.ts';
import { adminText } from './admin.ts';
import { adminListsText } from './admin-lists.ts';
import { adminNumberingText } from './admin-numbering.ts';
import { adminEntitiesText } from './admin-entities.ts';
import { adminLayoutText } from './admin-layout.ts';
import { adminModulesText } from './admin-modules.ts';
import { adminPrintText } from './admin-print.ts';
import { boardText } from './board.ts';
import { formsText } from './forms.ts';
import { listsText } from './lists.ts';
import { printText } from './print.ts';
import { recordsText } from './records.ts';
import { shellText } from './shell.ts';

export type { Locale };

/** The languages of the screens; zh-CN first (the default). */
export const LOCALES: readonly Locale[] = ['zh-CN', 'en'];

/** The cookie remembering the language a person chose. */
export const LOCALE_COOKIE = 'forma_locale';

/**
 * Every text of the staff screens, by key, in zh-CN and en: one catalogue per area of the app
 * (`app/text/<area>.ts`), joined here so keys stay unique and typed. Texts from the metadata
 * (entity and field labels) come from the documents themselves, through `label()`.
 */
const texts = { ...adminText, ...adminListsText, ...adminNumberingText, ...adminEntitiesText, ...adminLayoutText, ...adminModulesText, ...adminPrintText, ...shellText, ...recordsText, ...boardText, ...formsText, ...listsText, ...printText } as const;

export type TextKey = keyof typeof texts;

/** A screen text in the person's language, with `{name}` parameters filled in. */
export function t(locale: Locale, key: TextKey, params: Record<string, unknown> = {}): string {
  return fillText(texts[key], params)[locale];
}

/** A label of the metadata (`{ "zh-CN": "客户", "en": "Customer" }`) in the person's language, falling back to the other. */
export function label(text: Readonly<Partial<Record<Locale, string>>> | undefined, locale: Locale): string {
  return text?.[locale] ?? text?.['zh-CN'] ?? text?.en ?? '';
}

/** The language a request asks for: the person's choice (cookie), else zh-CN. */
export function localeOf(request: Request): Locale {
  const chosen = /(?:^|;\s*)forma_locale=([^;]+)/.exec(request.headers.get('Cookie') ?? '')?.[1];
  return LOCALES.find((l) => l === chosen) ?? 'zh-CN';
}
