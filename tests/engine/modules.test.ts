// Modules as metadata (decision 0014): the `module` kind, its references from entities and
// roles, the menu order it gives, and workspaces from before modules were documents.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiDeps } from '../../app/api/http.server.ts';
import { standardCrm } from '../../app/first-run.server.ts';
import { loadDocuments } from '../../engine/metadata/load-documents.ts';
import { documentKey, type EntityDocument, type MetadataDocument, type Model } from '../../engine/metadata/model.ts';
import { moduleMenu } from '../../engine/metadata/modules.ts';
import { currentVersion, loadModel } from '../../engine/metadata/store.ts';
import { validateDocuments } from '../../engine/metadata/validate.ts';
import { installPackage } from '../../engine/packages/install.ts';
import { applyChange } from '../../engine/schema/change.ts';
import { ADMIN_ROLE, systemActor } from '../../engine/security/actor.ts';
import { setUserRoles } from '../../engine/security/roles.ts';
import { createApiToken } from '../../engine/security/tokens.ts';
import { createUser } from '../../engine/security/users.ts';
import { apiClient } from '../support/api.ts';
import { forma } from '../support/cli.ts';
import { testDatabases, type TestDatabase } from '../support/databases.ts';
import { entity, field, inputs, L } from '../support/documents.ts';
import { refusal } from '../support/refusal.ts';

const system = systemActor('test');

const module = (name: string, position: number, entities?: string[]) => ({
  kind: 'module', name, label: L(`模块${name}`, `Module ${name}`), position, ...(entities ? { entities } : {}),
});
const inModule = (name: string, moduleName?: string, extra: Record<string, unknown> = {}) =>
  entity(name, { name: field({ type: 'text' }), ...extra }, { options: moduleName ? { module: moduleName } : {} });
/** The menu of a model, as `module: entity, entity` lines. */
const menuOf = (model: Model) => moduleMenu(model).map((m) => `${m.name || '—'}: ${m.entities.map((e) => e.name).join(', ')}`);
const modelOf = (documents: MetadataDocument[]): Model => new Map(documents.map((d) => [documentKey(d), d]));
const codes = (problems: { code: string; path: string; source?: string }[]) => problems.map((p) => `${p.code} ${p.source} ${p.path}`);

describe('the menu a model describes', () => {
  it('orders modules by position then name, entities as their module lists them, the rest after', () => {
    const { documents, problems } = validateDocuments(inputs(
      module('sales', 20, ['quote', 'opportunity']),
      module('customers', 10),
      module('office', 20),
      inModule('opportunity', 'sales'),
      inModule('contract', 'sales'),
      inModule('quote', 'sales', { lines: field({ type: 'lines', entity: 'quote_line' }) }),
      inModule('quote_line', 'sales'),
      inModule('customer', 'customers'),
      inModule('announcement'),
    ));
    expect(problems).toEqual([]);
    expect(menuOf(modelOf(documents))).toEqual([
      'customers: customer',
      // Same position as sales, so by name; an empty module is still a module.
      'office: ',
      // Listed first in the module's order; line items never in the menu; the unlisted after by name.
      'sales: quote, opportunity, contract',
      '—: announcement',
    ]);
  });

  it('shows names entities use without a document after the documented modules, and leaves out archived entities', () => {
    const archived = inModule('old_thing', 'customers');
    archived.schema['x-forma'] = { module: 'customers', archived: true };
    const { documents, problems } = validateDocuments(inputs(inModule('lead', 'marketing'), inModule('customer', 'customers'), archived));
    // No module document at all: a set (or workspace) from before modules were documents.
    expect(problems).toEqual([]);
    expect(menuOf(modelOf(documents))).toEqual(['customers: customer', 'marketing: lead']);
  });
});

describe('module references', () => {
  it('once modules are documents, an entity or a role must name one of them', () => {
    const role = { kind: 'role', name: 'clerk', label: L('文员', 'Clerk'), modules: { customers: { visible: true }, hr: { visible: false } } };
    const { problems } = validateDocuments(inputs(module('customers', 10), inModule('customer', 'customers'), inModule('employee', 'hr'), role));
    expect(codes(problems)).toEqual(['module_unknown entity:employee /schema/x-forma/module', 'module_unknown role:clerk /modules/hr']);
    expect(problems[0]!.message).toEqual({
      'zh-CN': '模块 "hr" 不存在（现有模块：customers）', en: 'Module "hr" does not exist (modules: customers)',
    });
  });

  it('refuses a module listing entities that are not its own when it is written', () => {
    const { problems } = validateDocuments(inputs(
      module('sales', 10, ['quote', 'customer', 'quote_line', 'ghost', 'old_deal']),
      module('customers', 20),
      inModule('quote', 'sales', { lines: field({ type: 'lines', entity: 'quote_line' }) }),
      inModule('quote_line', 'sales'),
      inModule('customer', 'customers'),
      { ...inModule('old_deal', 'sales'), schema: { ...inModule('old_deal').schema, 'x-forma': { module: 'sales', archived: true } } },
    ));
    expect(codes(problems)).toEqual([
      'module_entity_foreign module:sales /entities/1',
      'module_entity_lines module:sales /entities/2',
      'entity_unknown module:sales /entities/3',
      'entity_archived module:sales /entities/4',
    ]);
    expect(problems[0]!.message.en).toBe('Entity "customer" is not in module "sales" (it is in "customers"): a module orders only its own entities');
  });
});

describe('modules on the command line', () => {
  it('meta:validate reports an entity naming a module that has no document, at its place, exit code 1', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'forma-modules-'));
    try {
      await writeFile(join(dir, 'sales.json'), JSON.stringify(module('sales', 10)));
      await writeFile(join(dir, 'employee.json'), JSON.stringify(inModule('employee', 'hr')));
      const run = await forma({}, 'meta:validate', dir);
      expect(run.code).toBe(1);
      expect(JSON.parse(run.stderr).error.problems).toEqual([{
        code: 'module_unknown', path: '/schema/x-forma/module', source: join(dir, 'employee.json'),
        message: { 'zh-CN': '模块 "hr" 不存在（现有模块：sales）', en: 'Module "hr" does not exist (modules: sales)' },
      }]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 60_000);
});

for (const setup of testDatabases()) {
  describe(`modules in a workspace on ${setup.kind}`, () => {
    let t: TestDatabase;
    let deps: ApiDeps;
    let token: string;
    const version = () => currentVersion(deps.db, deps.workspace);
    const documentOf = async <T extends MetadataDocument>(kind: string, name: string) =>
      (await loadModel(deps)).get(documentKey({ kind, name })) as T;

    beforeAll(async () => {
      t = await setup.open();
      deps = { db: t.database.db, workspace: 'crm' };
      await installPackage(deps, system, standardCrm);
      await createUser(deps.db, system, { login: 'admin', displayName: 'admin' });
      await setUserRoles(deps.db, system, 'crm', 'admin', [ADMIN_ROLE]);
      token = (await createApiToken(deps.db, system, { login: 'admin' })).token;
    }, 120_000);
    afterAll(() => t?.cleanup());

    it('installs the standard CRM with its modules, which give the menu its order', async () => {
      const model = await loadModel(deps);
      expect(menuOf(model)).toEqual([
        'customers: customer, contact, activity',
        'sales: opportunity, quote, contract, sales_order, shipment',
        'service: service_ticket',
        'goods: product',
        'marketing: campaign, channel_partner',
        'purchase: supplier, purchase_order',
        'finance: receipt, expense',
        // Entities the office module does not list (the company profile) come after, by name.
        expect.stringMatching(/^office: task, announcement, knowledge_article(, |$)/),
      ]);
      expect(moduleMenu(model)[0]!.document).toMatchObject({ label: { 'zh-CN': '客户管理', en: 'Customers' }, icon: 'users', position: 10 });
    });

    it('refuses, through the REST API, an entity naming a module that does not exist, changing nothing', async () => {
      const before = await version();
      const customer = await documentOf<EntityDocument>('entity', 'customer');
      const moved = { ...customer, schema: { ...customer.schema, 'x-forma': { ...customer.schema['x-forma'], module: 'crm_core' } } };
      const answer = await apiClient(() => deps, () => token).post('/api/v1/metadata/apply', { upsert: [moved] });
      expect(answer.status).toBe(400);
      expect(answer.body.error.code).toBe('metadata_invalid');
      expect(answer.body.error.problems).toEqual([expect.objectContaining({ code: 'module_unknown', path: '/schema/x-forma/module', source: '/upsert/0' })]);
      expect(await version()).toBe(before);
    });

    it('refuses a role naming a module that does not exist, and removing a module entities or roles still name', async () => {
      const before = await version();
      const salesperson = await documentOf<MetadataDocument>('role', 'salesperson');
      const role = await refusal(applyChange(deps, system, {
        upsert: [{ document: { ...salesperson, modules: { ...(salesperson.modules as object), warehouse: { visible: false } } } }],
      }));
      expect(role.code).toBe('metadata_invalid');
      expect(codes(role.problems)).toEqual(['module_unknown role:salesperson /modules/warehouse']);

      const inUse = await refusal(applyChange(deps, system, { remove: [{ kind: 'module', name: 'purchase' }] }));
      expect(codes(inUse.problems)).toEqual([
        'module_unknown entity:purchase_order /schema/x-forma/module',
        'module_unknown entity:purchase_order_line /schema/x-forma/module',
        'module_unknown entity:supplier /schema/x-forma/module',
        // Both standard roles hide purchasing.
        'module_unknown role:sales_manager /modules/purchase',
        'module_unknown role:salesperson /modules/purchase',
      ]);
      expect(await version()).toBe(before);
    });

    it('moves an entity to another module with one change, and a stale order elsewhere does not block it', async () => {
      const contract = await documentOf<EntityDocument>('entity', 'contract');
      const customers = await documentOf<MetadataDocument>('module', 'customers');
      // Only the entity changes: `sales` still lists the contract, which the menu now ignores.
      await applyChange(deps, system, { upsert: [{ document: { ...contract, schema: { ...contract.schema, 'x-forma': { ...contract.schema['x-forma'], module: 'customers' } } } }] });
      expect(menuOf(await loadModel(deps)).slice(0, 2)).toEqual([
        'customers: customer, contact, activity, contract',
        'sales: opportunity, quote, sales_order, shipment',
      ]);
      // Writing the module again checks its list: it may now order the contract first.
      await applyChange(deps, system, { upsert: [{ document: { ...customers, entities: ['contract', 'customer', 'contact', 'activity'] } }] });
      expect(menuOf(await loadModel(deps))[0]).toBe('customers: contract, customer, contact, activity');
      const stale = await refusal(applyChange(deps, system, { upsert: [{ document: await documentOf('module', 'sales') }] }));
      expect(codes(stale.problems)).toEqual(['module_entity_foreign module:sales /entities/2']);
    });

    it('keeps a workspace from before modules were documents working, until its modules get their documents', async () => {
      const legacy = { db: deps.db, workspace: 'legacy' };
      const { inputs: all } = await loadDocuments(standardCrm);
      const withoutModules = all.filter((input) => !['module', 'package'].includes((input.document as MetadataDocument).kind));
      await applyChange(legacy, system, { upsert: withoutModules });
      const model = await loadModel(legacy);
      expect(moduleMenu(model).map((m) => [m.name, m.document])).toEqual(
        ['customers', 'finance', 'goods', 'marketing', 'office', 'purchase', 'sales', 'service'].map((name) => [name, undefined]));
      // Changes go on as before: a new field, even an entity in a module of its own.
      const task = model.get('entity:task') as EntityDocument;
      await applyChange(legacy, system, { upsert: [
        { document: { ...task, schema: { ...task.schema, properties: { ...task.schema.properties, place: field({ type: 'text' }) } } } },
        { document: inModule('employee', 'hr') },
      ] });
      // One module document makes them all required: the upgrade writes every module at once.
      const alone = await refusal(applyChange(legacy, system, { upsert: [{ document: module('hr', 90) }] }));
      // Every entity of the package (not the one in `hr`, which now has its document), and the
      // modules the roles hide: purchasing for both, finance for the salesperson.
      const named = withoutModules.map((input) => input.document as EntityDocument).filter((doc) => doc.kind === 'entity' && doc.schema['x-forma']?.module);
      expect(alone.problems.map((p) => `${p.code} ${p.source} ${p.path}`).sort()).toEqual([
        ...named.map((doc) => `module_unknown entity:${doc.name} /schema/x-forma/module`),
        'module_unknown role:sales_manager /modules/purchase', 'module_unknown role:salesperson /modules/finance', 'module_unknown role:salesperson /modules/purchase',
      ].sort());
      // The package again (its module documents) with a document for the workspace's own module.
      await applyChange(legacy, system, { upsert: [...all, { document: module('hr', 90) }] });
      expect(menuOf(await loadModel(legacy)).map((line) => line.split(':')[0])).toEqual(
        ['customers', 'sales', 'service', 'goods', 'marketing', 'purchase', 'finance', 'office', 'hr']);
    });
  });
}
