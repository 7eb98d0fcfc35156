// GET /api/v1/system-log — see app/api/system-log.server.ts.
import { serve } from '../api/serve.server.ts';
import { systemLogEndpoint } from '../api/system-log.server.ts';
import type { Route } from './+types/api.system-log';

export const loader = ({ request, params, context }: Route.LoaderArgs) => serve(systemLogEndpoint, request, params, context);
export const action = ({ request, params, context }: Route.ActionArgs) => serve(systemLogEndpoint, request, params, context);
