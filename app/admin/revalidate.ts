import type { ShouldRevalidateFunctionArgs } from 'react-router';
import type { ChangeResult } from './change.ts';

/**
 * Whether a page reloads its data after a post: after a designer's post to `/admin/change` only
 * when it changed the metadata (a validate or review changes nothing, and a refused apply keeps
 * the admin's draft on the version it was made on, beside the conflict); after anything else as
 * React Router would. The frame, the admin layout and every designer export it as `shouldRevalidate`.
 */
export function reloadAfterChange({ formAction, actionResult, defaultShouldRevalidate }: ShouldRevalidateFunctionArgs): boolean {
  if (formAction !== '/admin/change') return defaultShouldRevalidate;
  return (actionResult as ChangeResult | undefined)?.applied?.changed === true;
}
