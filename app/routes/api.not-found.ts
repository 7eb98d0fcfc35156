// Any other /api/* address: a JSON 404 — see app/api/not-found.server.ts.
import { apiNotFound } from '../api/not-found.server.ts';
import { serve } from '../api/serve.server.ts';
import type { Route } from './+types/api.not-found';

export const loader = ({ request, params, context }: Route.LoaderArgs) => serve(apiNotFound, request, params, context);
export const action = ({ request, params, context }: Route.ActionArgs) => serve(apiNotFound, request, params, context);
