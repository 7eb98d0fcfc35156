// POST /api/v1/print/:template/jobs — see app/api/print.server.ts.
import { printJobs } from '../api/print.server.ts';
import { serve } from '../api/serve.server.ts';
import type { Route } from './+types/api.print.jobs';

export const loader = ({ request, params, context }: Route.LoaderArgs) => serve(printJobs, request, params, context);
export const action = ({ request, params, context }: Route.ActionArgs) => serve(printJobs, request, params, context);
