// GET, POST /api/v1/records/:entity/:id/shares — see app/api/records.server.ts.
import { recordShares } from '../api/records.server.ts';
import { serve } from '../api/serve.server.ts';
import type { Route } from './+types/api.record.shares';

export const loader = ({ request, params, context }: Route.LoaderArgs) => serve(recordShares, request, params, context);
export const action = ({ request, params, context }: Route.ActionArgs) => serve(recordShares, request, params, context);
