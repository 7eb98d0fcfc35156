import { useEffect, useRef, type MutableRefObject } from 'react';
import { useBlocker } from 'react-router';
import { t } from './text/index.ts';
import { useLocale } from './use-locale.ts';

/**
 * Asks before leaving a page with changes not saved: a link inside the app to another page
 * (a confirm in the person's language) and closing or reloading the tab (the browser's own
 * question). Returns the `leaving` flag: set it right before the page itself moves on (after a
 * save, a created record), so that move is not asked about.
 *
 * @example const leaving = useLeaveGuard(dirty); … leaving.current = true; navigate(`/r/customer/${id}`);
 */
export function useLeaveGuard(unsaved: boolean): MutableRefObject<boolean> {
  const locale = useLocale();
  const leaving = useRef(false);
  const blocker = useBlocker(({ currentLocation, nextLocation }) => unsaved && !leaving.current && currentLocation.pathname !== nextLocation.pathname);
  useEffect(() => {
    if (blocker.state !== 'blocked') return;
    if (window.confirm(t(locale, 'form_leave_confirm'))) blocker.proceed();
    else blocker.reset();
  }, [blocker, locale]);
  useEffect(() => {
    if (!unsaved) return;
    const warn = (e: BeforeUnloadEvent) => { if (!leaving.current) e.preventDefault(); };
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [unsaved]);
  return leaving;
}
