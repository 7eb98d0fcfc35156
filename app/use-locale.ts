import { useRouteLoaderData } from 'react-router';
import type { Locale } from './text/index.ts';

/** The language of the screens, as the root loader read it from the person's choice. */
export function useLocale(): Locale {
  return (useRouteLoaderData('root') as { locale: Locale } | undefined)?.locale ?? 'zh-CN';
}
