// GET /api/v1/print/:template/:id — see app/api/print.server.ts.
import { printOne } from '../api/print.server.ts';
import { serve } from '../api/serve.server.ts';
import type { Route } from './+types/api.print';

export const loader = ({ request, params, context }: Route.LoaderArgs) => serve(printOne, request, params, context);
export const action = ({ request, params, context }: Route.ActionArgs) => serve(printOne, request, params, context);
