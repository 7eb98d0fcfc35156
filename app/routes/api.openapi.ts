// GET /api/v1/openapi.json — see app/api/openapi.server.ts.
import { openApiEndpoint } from '../api/openapi.server.ts';
import { serve } from '../api/serve.server.ts';
import type { Route } from './+types/api.openapi';

export const loader = ({ request, params, context }: Route.LoaderArgs) => serve(openApiEndpoint, request, params, context);
export const action = ({ request, params, context }: Route.ActionArgs) => serve(openApiEndpoint, request, params, context);
