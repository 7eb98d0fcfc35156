// The metadata REST API (`/api/v1/metadata/…`): the plan → apply path the admin designers use,
// its refusals (bad documents, failed data checks, another admin's change), history and rollback.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiDeps } from '../../app/api/http.server.ts';
import { standardCrm } from '../../app/first-run.server.ts';
import type { EntityDocument, MetadataDocument } from '../../engine/metadata/model.ts';
import { currentVersion } from '../../engine/metadata/store.ts';
import { installPackage } from '../../engine/packages/install.ts';
import { getRecord } from '../../engine/records/read.ts';
import { createRecord } from '../../engine/records/write.ts';
import { ADMIN_ROLE, systemActor, type Actor } from '../../engine/security/actor.ts';
import { setUserRoles } from '../../engine/security/roles.ts';
import { createApiToken } from '../../engine/security/tokens.ts';
import { createUser } from '../../engine/security/users.ts';
import { apiClient } from '../support/api.ts';
import { testDatabases, type TestDatabase } from '../support/databases.ts';
import { L } from '../support/documents.ts';

const system = systemActor('test');
type Login = 'admin' | 'admin2' | 'sales1';

for (const setup of testDatabases()) {
  describe(`the metadata API on ${setup.kind}`, () => {
    let t: TestDatabase;
    let deps: ApiDeps;
    const tokens = {} as Record<Login, string>;
    const actors = {} as Record<Login, Actor>;
    const as = (login: Login) => apiClient(() => deps, () => tokens[login]);
    const version = () => currentVersion(deps.db, deps.workspace);

    /** The current document, as GET /api/v1/metadata gives it. */
    async function documentOf<T extends MetadataDocument = MetadataDocument>(kind: string, name: string): Promise<T> {
      const { body } = await as('admin').get('/api/v1/metadata');
      return body.documents.find((d: MetadataDocument) => d.kind === kind && d.name === name);
    }

    /** The customer form with its sections changed by `change`. */
    async function layoutWith(change: (sections: { tab?: string; fields: unknown[] }[]) => void): Promise<MetadataDocument> {
      const layout = structuredClone(await documentOf('layout', 'customer_form'));
      change(layout.sections as { fields: unknown[] }[]);
      return layout;
    }

    /** The customer entity with a field added (or replaced). */
    async function customerWith(name: string, definition: Record<string, unknown>): Promise<EntityDocument> {
      const customer = await documentOf<EntityDocument>('entity', 'customer');
      return { ...customer, schema: { ...customer.schema, properties: { ...customer.schema.properties, [name]: definition as never } } };
    }

    beforeAll(async () => {
      t = await setup.open();
      deps = { db: t.database.db, workspace: 'crm' };
      await installPackage(deps, system, standardCrm);
      for (const [login, roles] of [['admin', [ADMIN_ROLE]], ['admin2', [ADMIN_ROLE]], ['sales1', ['salesperson']]] as [Login, string[]][]) {
        const user = await createUser(deps.db, system, { login, displayName: login });
        await setUserRoles(deps.db, system, 'crm', login, roles);
        tokens[login] = (await createApiToken(deps.db, system, { login })).token;
        actors[login] = { id: user.id, name: login, kind: 'user' };
      }
    }, 120_000);
    afterAll(() => t?.cleanup());

    it('is for administrators only: 403 for staff on every route, nothing changed', async () => {
      const before = await version();
      const customer = await documentOf('entity', 'customer');
      for (const answer of [
        await as('sales1').get('/api/v1/metadata'),
        await as('sales1').get('/api/v1/metadata/history'),
        await as('sales1').post('/api/v1/metadata/plan', { upsert: [customer] }),
        await as('sales1').post('/api/v1/metadata/apply', { upsert: [{ ...customer, label: L('顾客', 'Client') }] }),
        await as('sales1').post('/api/v1/metadata/rollback', { version: 1 }),
      ]) {
        expect(answer.status).toBe(403);
        expect(answer.body.error.code).toBe('permission_denied');
      }
      expect(await version()).toBe(before);
    });

    it('plans a new field as safe steps, applies it, and the history says who added what', async () => {
      const before = await version();
      const customer = await customerWith('wechat', { 'x-forma': { type: 'text', label: L('微信号', 'WeChat ID'), searchable: true } });
      const plan = await as('admin').post('/api/v1/metadata/plan', { upsert: [customer] });
      expect(plan.status).toBe(200);
      expect(plan.body.refused).toBe(false);
      expect(plan.body.operations.map((o: { op: string; risk: string }) => `${o.op}:${o.risk}`)).toEqual(
        expect.arrayContaining(['addColumn:safe', 'saveDocument:safe']));
      expect(await version()).toBe(before);

      const applied = await as('admin').post('/api/v1/metadata/apply', { upsert: [customer], basedOn: before, reason: '加微信号' });
      expect(applied.status).toBe(200);
      expect(applied.body).toMatchObject({ version: before + 1, changed: true });
      const history = await as('admin').get('/api/v1/metadata/history');
      expect(history.body.versions[0]).toMatchObject({ version: before + 1, actor: { name: 'admin' }, reason: '加微信号' });
      const diff = await as('admin').get(`/api/v1/metadata/history/${before + 1}`);
      expect(diff.body.changes).toEqual([
        expect.objectContaining({ kind: 'entity', name: 'customer', change: 'changed', lines: [{ 'zh-CN': '新字段「微信号」（单行文本）', en: 'New field "WeChat ID" (Text)' }] }),
      ]);
    });

    it('refuses bad documents with every problem at its place, and changes nothing', async () => {
      const before = await version();
      const customer = await documentOf<EntityDocument>('entity', 'customer');
      const cases: [string, MetadataDocument[], { code: string; path: string }][] = [
        ['an invalid field name', [await customerWith('WeChat', { 'x-forma': { type: 'text', label: L('微信', 'WeChat') } })],
          { code: 'schema_violation', path: '/schema/properties/WeChat' }],
        ['a formula naming a missing field', [await customerWith('bonus', { 'x-forma': { type: 'formula', label: L('奖励', 'Bonus'), expression: 'points * missing_rate', resultType: 'decimal' } })],
          { code: 'formula_reference', path: '/schema/properties/bonus/x-forma/expression' }],
        ['a lookup to an entity that does not exist', [await customerWith('partner', { 'x-forma': { type: 'lookup', label: L('伙伴', 'Partner'), target: 'nope' } })],
          { code: 'entity_unknown', path: '/schema/properties/partner/x-forma/target' }],
        ['the same document twice', [customer, customer], { code: 'document_duplicate', path: '/name' }],
        ['a layout placing a field twice', [await layoutWith((sections) => { sections[1]!.fields.push('name'); })],
          { code: 'layout_field_repeated', path: '/sections/1/fields/7' }],
        ['a layout section on a tab that does not exist', [await layoutWith((sections) => { sections[0]!.tab = 'nope'; })],
          { code: 'layout_tab_unknown', path: '/sections/0/tab' }],
        ['a condition that is no JSON Schema', [await layoutWith((sections) => { sections[0]!.fields[2] = { field: 'short_name', visibleWhen: { type: 'objekt' } }; })],
          { code: 'layout_condition_invalid', path: '/sections/0/fields/2/visibleWhen' }],
      ];
      for (const [what, upsert, expected] of cases) {
        const answer = await as('admin').post('/api/v1/metadata/apply', { upsert });
        expect(answer.status, what).toBe(400);
        expect(answer.body.error.code, what).toBe('metadata_invalid');
        expect(answer.body.error.problems, what).toEqual(expect.arrayContaining([expect.objectContaining(expected)]));
        expect(answer.body.error.problems[0].message['zh-CN'], what).toBeTruthy();
      }
      expect(await version()).toBe(before);
    });

    it('refuses a lookup to an archived entity and a layout placing an archived field', async () => {
      // Nothing looks up announcements, so they may be archived.
      const announcement = await documentOf<EntityDocument>('entity', 'announcement');
      const archiving = await as('admin').post('/api/v1/metadata/apply', {
        upsert: [{ ...announcement, schema: { ...announcement.schema, 'x-forma': { ...announcement.schema['x-forma'], archived: true } } }],
      });
      expect(archiving.body.error).toBeUndefined();
      const before = await version();
      const toArchived = await as('admin').post('/api/v1/metadata/apply', {
        upsert: [await customerWith('notice', { 'x-forma': { type: 'lookup', label: L('公告', 'Notice'), target: 'announcement' } })],
      });
      expect(toArchived.status).toBe(400);
      expect(toArchived.body.error.problems).toEqual([expect.objectContaining({ path: '/schema/properties/notice/x-forma/target' })]);

      const withFax = await documentOf<EntityDocument>('entity', 'customer');
      const fax = withFax.schema.properties.fax!;
      const archivedFax = { ...withFax, schema: { ...withFax.schema, properties: { ...withFax.schema.properties, fax: { ...fax, 'x-forma': { ...fax['x-forma'], archived: true } } } } };
      const layout = await documentOf('layout', 'customer_form');
      const placing = await as('admin').post('/api/v1/metadata/apply', { upsert: [archivedFax, layout] });
      expect(placing.status).toBe(400);
      expect(placing.body.error.problems).toEqual([expect.objectContaining({ code: 'field_archived', path: '/sections/1/fields/1', source: '/upsert/1' })]);
      expect(await version()).toBe(before);
    });

    it('lets a list view sort and filter by system fields, not show them as columns', async () => {
      const view = await documentOf('listView', 'customer_all');
      const sorted = { ...view, defaultSort: [{ field: 'updated_at', direction: 'desc' }], defaultFilter: { field: 'created_at', op: 'gte', value: '2026-01-01' } };
      expect((await as('admin').post('/api/v1/metadata/plan', { upsert: [sorted] })).status).toBe(200);
      const column = await as('admin').post('/api/v1/metadata/plan', { upsert: [{ ...view, columns: [...(view.columns as unknown[]), { field: 'created_at' }] }] });
      expect(column.body.error.problems).toEqual([expect.objectContaining({ code: 'field_unknown' })]);
    });

    it('refuses a plan whose data check fails, saying how many records stand in the way', async () => {
      const ctx = { db: deps.db, workspace: 'crm' };
      await createRecord(ctx, actors.admin, 'customer', { name: '没有电话的客户' });
      const customer = await documentOf<EntityDocument>('entity', 'customer');
      const required = { ...customer, schema: { ...customer.schema, required: [...(customer.schema.required ?? []), 'phone'] } };
      const plan = await as('admin').post('/api/v1/metadata/plan', { upsert: [required] });
      expect(plan.body.refused).toBe(true);
      expect(plan.body.operations).toEqual(expect.arrayContaining([expect.objectContaining({ op: 'setNotNull', risk: 'checked', check: expect.objectContaining({ passed: false, count: 1 }) })]));
      const before = await version();
      const applied = await as('admin').post('/api/v1/metadata/apply', { upsert: [required] });
      expect(applied.status).toBe(400);
      expect(applied.body.error.code).toBe('plan_refused');
      expect(applied.body.error.problems[0].message['zh-CN']).toMatch(/1/);
      expect(await version()).toBe(before);
    });

    it("refuses a change to a document another admin changed meanwhile, but not one to another document", async () => {
      const read = await version();
      const mine = await customerWith('hobby', { 'x-forma': { type: 'text', label: L('爱好', 'Hobby') } });
      const contact = await documentOf<EntityDocument>('entity', 'contact');
      // admin2 renames the customer first.
      const theirs = await documentOf<EntityDocument>('entity', 'customer');
      expect((await as('admin2').post('/api/v1/metadata/apply', { upsert: [{ ...theirs, label: L('客户档案', 'Accounts') }], basedOn: read })).status).toBe(200);

      const conflict = await as('admin').post('/api/v1/metadata/apply', { upsert: [mine], basedOn: read });
      expect(conflict.status).toBe(409);
      expect(conflict.body.error.code).toBe('metadata_conflict');
      expect(conflict.body.error.message['zh-CN']).toContain('admin2');
      expect(conflict.body.error.problems).toEqual([expect.objectContaining({ code: 'metadata_conflict_document', source: 'entity:customer' })]);
      expect((await documentOf<EntityDocument>('entity', 'customer')).schema.properties.hobby).toBeUndefined();

      // A change to the contact, read at the same version, does not collide with theirs.
      const other = await as('admin').post('/api/v1/metadata/apply', { upsert: [{ ...contact, label: L('联系人档案', 'People') }], basedOn: read });
      expect(other.status).toBe(200);
      // Without basedOn nothing is checked, and with a stale baseVersion everything is.
      expect((await as('admin').post('/api/v1/metadata/apply', { upsert: [mine], baseVersion: read })).body.error.code).toBe('plan_stale');
    });

    it('rolls back to a version: fields added since are archived with their data, other data intact', async () => {
      const ctx = { db: deps.db, workspace: 'crm' };
      const before = await version();
      const added = await as('admin').post('/api/v1/metadata/apply', {
        upsert: [await customerWith('grade', { 'x-forma': { type: 'select', label: L('客户分级', 'Grade'), options: [{ value: 'A', label: L('A', 'A') }, { value: 'B', label: L('B', 'B') }] } })],
      });
      expect(added.status).toBe(200);
      const record = await createRecord(ctx, actors.admin, 'customer', { name: '回滚测试客户', phone: '13800000000', grade: 'B' });

      const rolled = await as('admin').post('/api/v1/metadata/rollback', { version: before, basedOn: added.body.version });
      expect(rolled.status).toBe(200);
      const customer = await documentOf<EntityDocument>('entity', 'customer');
      expect(customer.schema.properties.grade?.['x-forma'].archived).toBe(true);
      const read = await getRecord(ctx, actors.admin, 'customer', record.id);
      expect(read).toMatchObject({ name: '回滚测试客户', phone: '13800000000' });
      expect(read).not.toHaveProperty('grade');
      const { rows } = await sql<{ grade: string }>`select grade from ws_crm.customer where id = ${record.id}`.execute(deps.db);
      expect(rows[0]!.grade).toBe('B');

      // A rollback based on an older version than the current one is a conflict.
      expect((await as('admin').post('/api/v1/metadata/rollback', { version: before, basedOn: before })).status).toBe(409);
    });

    it('refuses a malformed body with the member named', async () => {
      const notArray = await as('admin').post('/api/v1/metadata/apply', { upsert: 'customer' });
      expect(notArray.status).toBe(400);
      expect(notArray.body.error).toMatchObject({ code: 'body_member_invalid', message: { en: expect.stringContaining('"upsert"') } });
      expect((await as('admin').post('/api/v1/metadata/rollback', { version: 'one' })).body.error.code).toBe('body_member_invalid');
      expect((await as('admin').post('/api/v1/metadata/rollback', { version: 9999 })).body.error.code).toBe('version_unknown');
    });
  });
}
