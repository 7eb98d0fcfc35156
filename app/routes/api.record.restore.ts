// POST /api/v1/records/:entity/:id/restore — see app/api/records.server.ts.
import { recordRestore } from '../api/records.server.ts';
import { serve } from '../api/serve.server.ts';
import type { Route } from './+types/api.record.restore';

export const loader = ({ request, params, context }: Route.LoaderArgs) => serve(recordRestore, request, params, context);
export const action = ({ request, params, context }: Route.ActionArgs) => serve(recordRestore, request, params, context);
