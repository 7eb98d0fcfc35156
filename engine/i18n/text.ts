/** A text in every language Forma speaks. Chinese first: our first users work in Chinese. */
export interface LocalizedText {
  'zh-CN': string;
  en: string;
}

export type Locale = keyof LocalizedText;

/**
 * Fills `{name}` placeholders of both languages with the same parameters; a parameter that is a
 * LocalizedText itself gives each language its own words.
 *
 * @example fillText({ 'zh-CN': '更新{kind} {name}', en: 'Update {kind} {name}' }, { kind: { 'zh-CN': '表单布局', en: 'form layout' }, name: 'customer_form' })
 */
export function fillText(text: LocalizedText, params: Record<string, unknown> = {}): LocalizedText {
  const fill = (locale: Locale) => text[locale].replace(/\{(\w+)\}/g, (whole, key: string) => {
    if (!(key in params)) return whole;
    const value = params[key];
    return isLocalizedText(value) ? value[locale] : String(value);
  });
  return { 'zh-CN': fill('zh-CN'), en: fill('en') };
}

function isLocalizedText(value: unknown): value is LocalizedText {
  return typeof value === 'object' && value !== null && typeof (value as LocalizedText)['zh-CN'] === 'string' && typeof (value as LocalizedText).en === 'string';
}
