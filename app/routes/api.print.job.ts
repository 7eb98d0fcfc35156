// GET /api/v1/print/jobs/:id — see app/api/print.server.ts.
import { printJob } from '../api/print.server.ts';
import { serve } from '../api/serve.server.ts';
import type { Route } from './+types/api.print.job';

export const loader = ({ request, params, context }: Route.LoaderArgs) => serve(printJob, request, params, context);
export const action = ({ request, params, context }: Route.ActionArgs) => serve(printJob, request, params, context);
