// See app/api/metadata.server.ts.
import { serve } from '../api/serve.server.ts';
import { metadataHistory } from '../api/metadata.server.ts';
import type { Route } from './+types/api.metadata.history';

export const loader = ({ request, params, context }: Route.LoaderArgs) => serve(metadataHistory, request, params, context);
export const action = ({ request, params, context }: Route.ActionArgs) => serve(metadataHistory, request, params, context);
