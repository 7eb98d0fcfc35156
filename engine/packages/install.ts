import { relative, sep } from 'node:path';
import { FormaError, problem, type Problem } from '../errors.ts';
import { loadDocuments } from '../metadata/load-documents.ts';
import type { WorkspaceContext } from '../metadata/store.ts';
import type { Actor } from '../security/actor.ts';
import { applyChange, type Applied } from '../schema/change.ts';

/** A package as installed: its manifest's name and version, and what the install did. */
export interface InstalledPackage {
  name: string;
  version: string;
  applied: Applied;
}

/**
 * Installs a metadata package from a folder: its manifest (the one document of kind `package`)
 * must list exactly the documents beside it; all of them, manifest included, are applied as ONE
 * change — validated together with what the workspace already has, so a package referring to an
 * entity it does not define is refused before anything is written, with every problem listed.
 * Installing the same package again changes nothing (no new version).
 *
 * @example await installPackage(ctx, actor, 'metadata/standard-crm') // { name: 'standard_crm', version: '1.0.0', applied }
 */
export async function installPackage(ctx: WorkspaceContext, actor: Actor, dir: string): Promise<InstalledPackage> {
  const { inputs, problems } = await loadDocuments(dir);
  if (problems.length) throw new FormaError('package_invalid', { count: problems.length }, problems);
  const manifests = inputs.filter((input) => (input.document as { kind?: unknown } | null)?.kind === 'package');
  if (!manifests.length) throw new FormaError('package_manifest_missing', { dir });
  if (manifests.length > 1) throw new FormaError('package_manifest_many', { dir });
  const manifest = manifests[0]!;
  const listed = (manifest.document as { documents?: unknown }).documents;
  const files = inputs.filter((input) => input !== manifest).map((input) => relative(dir, input.source!).split(sep).join('/'));
  const found: Problem[] = [];
  if (Array.isArray(listed)) {
    for (const [i, file] of listed.entries()) {
      if (!files.includes(String(file))) found.push(problem('package_document_missing', `/documents/${i}`, { file }, manifest.source));
    }
    for (const file of files) {
      if (!listed.includes(file)) found.push(problem('package_document_unlisted', '/documents', { file }, manifest.source));
    }
  }
  if (found.length) throw new FormaError('package_invalid', { count: found.length }, found);
  const { name, version } = manifest.document as { name: string; version: string };
  // The manifest goes through its meta-schema with the rest: a bad name or version is reported there.
  const applied = await applyChange(ctx, actor, { upsert: inputs }, { reason: `install package ${name} ${version}` });
  return { name, version, applied };
}
