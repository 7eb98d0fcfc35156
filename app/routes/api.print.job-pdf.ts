// GET /api/v1/print/jobs/:id/pdf — see app/api/print.server.ts.
import { printJobResult } from '../api/print.server.ts';
import { serve } from '../api/serve.server.ts';
import type { Route } from './+types/api.print.job-pdf';

export const loader = ({ request, params, context }: Route.LoaderArgs) => serve(printJobResult, request, params, context);
export const action = ({ request, params, context }: Route.ActionArgs) => serve(printJobResult, request, params, context);
