// POST /api/v1/session/password — see app/api/session.server.ts.
import { serve } from '../api/serve.server.ts';
import { sessionPassword } from '../api/session.server.ts';
import type { Route } from './+types/api.session.password';

export const loader = ({ request, params, context }: Route.LoaderArgs) => serve(sessionPassword, request, params, context);
export const action = ({ request, params, context }: Route.ActionArgs) => serve(sessionPassword, request, params, context);
