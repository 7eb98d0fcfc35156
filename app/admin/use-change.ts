import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useFetcher } from 'react-router';
import { useShell } from '../routes/shell.tsx';
import type { ChangeResult, DraftChange, ProblemView } from './change.ts';

/** How long `validate` waits for the admin to stop typing before it asks the server. */
const VALIDATE_DELAY_MS = 400;

/** A designer's line to the engine (see `useChange`). */
export interface Change {
  /** The answer to the last review, apply, purge or rollback, once the page has reloaded after it (undefined before one, or after `reset`). */
  result: ChangeResult | undefined;
  /** The answer to the last `validate`. */
  validation: ChangeResult | undefined;
  /** A review, apply, purge or rollback is on its way. */
  busy: boolean;
  /** The version the designer's documents were read at. */
  basedOn: number;
  /** Checks the draft (meta-schemas, the whole model) shortly after the last call: for live errors as the admin types. */
  validate(draft: DraftChange): void;
  /** Plans the draft with its data checks, changing nothing. */
  review(draft: DraftChange): void;
  /** Applies the draft, refused when another admin changed the same documents since `basedOn`. */
  apply(draft: DraftChange, reason?: string): void;
  /** Drops an archived field (or entity) with its data; `confirm` must be its machine name. */
  purge(target: { entity: string; field?: string }, confirm: string): void;
  /** Plans the return to an earlier version. */
  reviewRollback(version: number): void;
  /** Returns to an earlier version (through the same plan and checks as any change). */
  rollback(version: number): void;
  /** The problems of the last answer about a document (`entity:customer`) at or under a JSON Pointer. */
  problemsAt(source: string, pathPrefix: string): ProblemView[];
  /** Forgets the last answer (e.g. when the admin edits the draft again). */
  reset(): void;
}

/**
 * The designers' one way to the engine: posts to `/admin/change` (app/admin/change.server.ts)
 * with the session's CSRF token and `basedOn`, through React Router fetchers, so after an apply
 * every loader of the page reloads by itself.
 *
 * @example const change = useChange(loaderData.version); change.review({ upsert: [draftEntity] });
 */
export function useChange(basedOn: number): Change {
  const { csrfToken } = useShell();
  const main = useFetcher<ChangeResult>();
  const check = useFetcher<ChangeResult>();
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const [dismissed, setDismissed] = useState<ChangeResult | undefined>(undefined);
  useEffect(() => () => clearTimeout(timer.current), []);

  const post = useCallback((fetcher: typeof main, fields: Record<string, string>) => {
    fetcher.submit({ _csrf: csrfToken, basedOn: String(basedOn), ...fields }, { method: 'post', action: '/admin/change' });
  }, [csrfToken, basedOn]);

  // An answer counts once the page's data has reloaded after it (the fetcher is idle again). A page
  // that moves on when it sees the answer (a created entity, a purged one) must not navigate while
  // React Router still reloads for the post: that reload, finishing during the navigation's own
  // route loading, would complete the navigation with the old page's routes (new address, old page).
  const answered = main.state === 'idle' ? main.data : undefined;
  const result = answered && answered !== dismissed ? answered : undefined;
  const validation = check.data;

  return useMemo<Change>(() => ({
    result, validation, busy: main.state !== 'idle', basedOn,
    validate(draft) {
      clearTimeout(timer.current);
      timer.current = setTimeout(() => post(check, { intent: 'validate', draft: JSON.stringify(draft) }), VALIDATE_DELAY_MS);
    },
    review: (draft) => post(main, { intent: 'review', draft: JSON.stringify(draft) }),
    apply: (draft, reason) => post(main, { intent: 'apply', draft: JSON.stringify(draft), ...(reason ? { reason } : {}) }),
    purge: ({ entity, field }, confirm) => post(main, { intent: 'purge', entity, ...(field ? { field } : {}), confirm }),
    reviewRollback: (version) => post(main, { intent: 'review-rollback', version: String(version) }),
    rollback: (version) => post(main, { intent: 'rollback', version: String(version) }),
    problemsAt(source, pathPrefix) {
      const answer = result?.problems.length ? result : validation;
      return (answer?.problems ?? []).filter((p) =>
        p.source === source && (p.path === pathPrefix || p.path.startsWith(pathPrefix.endsWith('/') ? pathPrefix : `${pathPrefix}/`)));
    },
    reset: () => setDismissed(main.data),
  }), [result, validation, main, check, post, basedOn]);
}
