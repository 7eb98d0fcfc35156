// GET, PATCH, DELETE /api/v1/records/:entity/:id — see app/api/records.server.ts.
import { recordItem } from '../api/records.server.ts';
import { serve } from '../api/serve.server.ts';
import type { Route } from './+types/api.record';

export const loader = ({ request, params, context }: Route.LoaderArgs) => serve(recordItem, request, params, context);
export const action = ({ request, params, context }: Route.ActionArgs) => serve(recordItem, request, params, context);
