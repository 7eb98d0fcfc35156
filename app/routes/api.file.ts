// GET /api/v1/files/:id — see app/api/files.server.ts.
import { fileDownload } from '../api/files.server.ts';
import { serve } from '../api/serve.server.ts';
import type { Route } from './+types/api.file';

export const loader = ({ request, params, context }: Route.LoaderArgs) => serve(fileDownload, request, params, context);
export const action = ({ request, params, context }: Route.ActionArgs) => serve(fileDownload, request, params, context);
