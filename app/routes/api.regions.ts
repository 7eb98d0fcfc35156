// GET /api/v1/regions?parent=<code> — see app/api/regions.server.ts.
import { regionsEndpoint } from '../api/regions.server.ts';
import { serve } from '../api/serve.server.ts';
import type { Route } from './+types/api.regions';

export const loader = ({ request, params, context }: Route.LoaderArgs) => serve(regionsEndpoint, request, params, context);
export const action = ({ request, params, context }: Route.ActionArgs) => serve(regionsEndpoint, request, params, context);
