// POST /api/v1/records/:entity/similar — see app/api/records.server.ts.
import { recordSimilar } from '../api/records.server.ts';
import { serve } from '../api/serve.server.ts';
import type { Route } from './+types/api.records.similar';

export const loader = ({ request, params, context }: Route.LoaderArgs) => serve(recordSimilar, request, params, context);
export const action = ({ request, params, context }: Route.ActionArgs) => serve(recordSimilar, request, params, context);
