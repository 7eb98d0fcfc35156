// GET /api/v1/print/templates — see app/api/print.server.ts.
import { printTemplates } from '../api/print.server.ts';
import { serve } from '../api/serve.server.ts';
import type { Route } from './+types/api.print.templates';

export const loader = ({ request, params, context }: Route.LoaderArgs) => serve(printTemplates, request, params, context);
export const action = ({ request, params, context }: Route.ActionArgs) => serve(printTemplates, request, params, context);
