import type { Locale } from '../../engine/i18n/text.ts';

/**
 * The language to answer in, from an `Accept-Language` header: the client's most preferred
 * language Forma speaks (any `zh-*` → zh-CN, any `en-*` → en), else Chinese.
 *
 * @example preferredLocale('en-GB,en;q=0.9,zh-CN;q=0.8') // 'en'
 */
export function preferredLocale(header: string | null): Locale {
  const ranges = (header ?? '').split(',').slice(0, 20).map((part, order) => {
    const [tag = '', ...parameters] = part.trim().toLowerCase().split(';');
    const q = parameters.map((p) => /^\s*q=([0-9.]+)\s*$/.exec(p)?.[1]).find(Boolean);
    return { tag: tag.trim(), q: q === undefined ? 1 : Number(q), order };
  });
  ranges.sort((a, b) => b.q - a.q || a.order - b.order);
  for (const { tag, q } of ranges) {
    if (!(q > 0)) continue;
    if (tag === 'zh' || tag.startsWith('zh-') || tag === '*') return 'zh-CN';
    if (tag === 'en' || tag.startsWith('en-')) return 'en';
  }
  return 'zh-CN';
}
