// POST (sign in), GET, DELETE (sign out) /api/v1/session — see app/api/session.server.ts.
import { serve } from '../api/serve.server.ts';
import { sessionEndpoint } from '../api/session.server.ts';
import type { Route } from './+types/api.session';

export const loader = ({ request, params, context }: Route.LoaderArgs) => serve(sessionEndpoint, request, params, context);
export const action = ({ request, params, context }: Route.ActionArgs) => serve(sessionEndpoint, request, params, context);
