// DELETE /api/v1/records/:entity/:id/shares/:share — see app/api/records.server.ts.
import { recordShare } from '../api/records.server.ts';
import { serve } from '../api/serve.server.ts';
import type { Route } from './+types/api.record.share';

export const loader = ({ request, params, context }: Route.LoaderArgs) => serve(recordShare, request, params, context);
export const action = ({ request, params, context }: Route.ActionArgs) => serve(recordShare, request, params, context);
