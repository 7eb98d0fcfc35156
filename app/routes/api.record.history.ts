// GET /api/v1/records/:entity/:id/history — see app/api/records.server.ts.
import { recordHistory } from '../api/records.server.ts';
import { serve } from '../api/serve.server.ts';
import type { Route } from './+types/api.record.history';

export const loader = ({ request, params, context }: Route.LoaderArgs) => serve(recordHistory, request, params, context);
export const action = ({ request, params, context }: Route.ActionArgs) => serve(recordHistory, request, params, context);
