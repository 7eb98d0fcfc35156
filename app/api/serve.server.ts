import type { AppLoadContext } from 'react-router';
import { getConfig } from '../config.server.ts';
import { getDatabase } from '../db.server.ts';
import { errorResponse } from './errors.server.ts';
import type { ApiDeps, ApiHandler, ApiParams } from './http.server.ts';

/**
 * Runs an API handler with the process's database and workspace, and the client's address from
 * the server's load context (app/server.mjs): all a route module in `app/routes/api.*.ts` does.
 * A database that cannot be opened is a 500 like any other failure.
 *
 * @example export const loader = ({ request, params, context }: Route.LoaderArgs) => serve(recordItem, request, params, context);
 */
export async function serve(handler: ApiHandler, request: Request, params: ApiParams, context?: AppLoadContext): Promise<Response> {
  let deps: ApiDeps;
  try {
    deps = { db: (await getDatabase()).db, workspace: getConfig().workspace, dataDir: getConfig().dataDir };
  } catch (error) {
    return errorResponse(error);
  }
  return handler(request, params, deps, context?.clientAddress);
}
