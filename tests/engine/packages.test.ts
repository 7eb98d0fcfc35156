import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { history, loadModel } from '../../engine/metadata/store.ts';
import { installPackage } from '../../engine/packages/install.ts';
import { systemActor } from '../../engine/security/actor.ts';
import { catalogSnapshot } from '../support/catalog.ts';
import { testDatabases, type TestDatabase } from '../support/databases.ts';
import { refusal } from '../support/refusal.ts';

const actor = systemActor('test');
const fixture = (name: string) => join(import.meta.dirname, '../fixtures/packages', name);

for (const setup of testDatabases()) {
  describe(`packages on ${setup.kind}`, () => {
    let t: TestDatabase;
    beforeAll(async () => {
      t = await setup.open();
    });
    afterAll(() => t?.cleanup());

    it('installs a package as one version, and installing it again changes nothing', async () => {
      const ctx = { db: t.database.db, workspace: 'pkg' };
      const first = await installPackage(ctx, actor, fixture('good'));
      expect(first).toMatchObject({ name: 'mini_crm', version: '1.0.0', applied: { changed: true, version: 1 } });
      const model = await loadModel(ctx);
      expect([...model.keys()].sort()).toEqual(['entity:contact', 'entity:customer', 'numbering:customer_code', 'package:mini_crm']);
      const again = await installPackage(ctx, actor, fixture('good'));
      expect(again.applied).toMatchObject({ changed: false, version: 1 });
      expect((await history(ctx)).map((v) => v.reason)).toEqual(['install package mini_crm 1.0.0']);
    });

    it('refuses a manifest that does not list exactly the documents beside it, writing nothing', async () => {
      const ctx = { db: t.database.db, workspace: 'pkg_bad' };
      const before = await catalogSnapshot(ctx.db, 'ws_pkg_bad');
      const error = await refusal(installPackage(ctx, actor, fixture('unlisted')));
      expect(error.code).toBe('package_invalid');
      expect(error.problems.map((p) => `${p.code} ${p.path}`).sort()).toEqual([
        'package_document_missing /documents/2', 'package_document_unlisted /documents',
      ]);
      expect(await catalogSnapshot(ctx.db, 'ws_pkg_bad')).toEqual(before);
    });

    it('refuses a package referring to an entity it does not define, before anything is written', async () => {
      const ctx = { db: t.database.db, workspace: 'pkg_ref' };
      const before = await catalogSnapshot(ctx.db, 'ws_pkg_ref');
      const error = await refusal(installPackage(ctx, actor, fixture('bad-reference')));
      expect(error.code).toBe('metadata_invalid');
      expect(error.problems).toMatchObject([{ code: 'entity_unknown', path: '/schema/properties/customer/x-forma/target' }]);
      expect(error.problems[0]!.source).toMatch(/bad-reference\/entities\/contact\.json$/);
      expect(await catalogSnapshot(ctx.db, 'ws_pkg_ref')).toEqual(before);
      expect((await refusal(installPackage(ctx, actor, fixture('nowhere')))).code).toBe('package_invalid');
      expect((await refusal(installPackage(ctx, actor, join(fixture('good'), 'entities')))).code).toBe('package_manifest_missing');
    });
  });
}
