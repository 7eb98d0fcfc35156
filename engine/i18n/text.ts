/** A text in every language Forma speaks. Chinese first: our first users work in Chinese. */
export interface LocalizedText {
  'zh-CN': string;
  en: string;
}

export type Locale = keyof LocalizedText;

/** Fills `{name}` placeholders of both languages with the same parameters. */
export function fillText(text: LocalizedText, params: Record<string, unknown> = {}): LocalizedText {
  const fill = (s: string) =>
    s.replace(/\{(\w+)\}/g, (whole, key: string) => (key in params ? String(params[key]) : whole));
  return { 'zh-CN': fill(text['zh-CN']), en: fill(text.en) };
}
