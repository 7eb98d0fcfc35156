// See app/api/metadata.server.ts.
import { serve } from '../api/serve.server.ts';
import { metadataRollback } from '../api/metadata.server.ts';
import type { Route } from './+types/api.metadata.rollback';

export const loader = ({ request, params, context }: Route.LoaderArgs) => serve(metadataRollback, request, params, context);
export const action = ({ request, params, context }: Route.ActionArgs) => serve(metadataRollback, request, params, context);
