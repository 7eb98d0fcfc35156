import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { buildApp, repositoryRoot } from '../support/app-build.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /**
     * The built app of this run (tests/support/app-build.ts `buildApp`): `<root>/app/server.mjs`
     * serves `<root>/build`. '' when no end-to-end test file was selected.
     */
    e2eAppRoot: string;
    /** Why the app could not be built ('' when it was): the e2e files fail with it, the others run. */
    e2eBuildError: string;
  }
}

const e2eDir = path.join(repositoryRoot, 'tests', 'e2e') + path.sep;

/**
 * Once per `vitest run`, before any test file starts, and only when an end-to-end test file is
 * among those selected (a run of engine tests alone pays nothing): builds the app from a private
 * copy of the sources unless these exact sources were built before — so the e2e files, which
 * run in parallel, share one build and never build concurrently, and builds in the checkout's
 * build/ (by `npm start` and others) cannot delete the files under them.
 */
export default async function setup(project: TestProject): Promise<void> {
  project.provide('e2eAppRoot', '');
  project.provide('e2eBuildError', '');
  const selected = selectedFiles(project);
  if (selected && !selected.some((file) => path.resolve(file).startsWith(e2eDir))) return;
  try {
    const build = await buildApp((line) => console.log(line));
    project.provide('e2eAppRoot', build.root);
  } catch (error) {
    // Thrown here it would stop the whole run (reported as "No test files found").
    project.provide('e2eBuildError', error instanceof Error ? error.message : String(error));
  }
}

/**
 * The test files of this run: vitest notes their paths (`state.pathsSet`) before it runs the
 * global setups. Undefined when it cannot tell (another vitest version): then the app is built.
 */
function selectedFiles(project: TestProject): string[] | undefined {
  const paths = (project.vitest.state as { pathsSet?: Set<string> } | undefined)?.pathsSet;
  return paths?.size ? [...paths] : undefined;
}
