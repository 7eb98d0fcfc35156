// POST /api/v1/files — see app/api/files.server.ts.
import { fileUpload } from '../api/files.server.ts';
import { serve } from '../api/serve.server.ts';
import type { Route } from './+types/api.files';

export const loader = ({ request, params, context }: Route.LoaderArgs) => serve(fileUpload, request, params, context);
export const action = ({ request, params, context }: Route.ActionArgs) => serve(fileUpload, request, params, context);
