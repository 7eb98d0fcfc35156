import { mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiDeps } from '../../app/api/http.server.ts';
import { standardCrm } from '../../app/first-run.server.ts';
import { installPackage } from '../../engine/packages/install.ts';
import { ADMIN_ROLE, systemActor } from '../../engine/security/actor.ts';
import { createDepartment } from '../../engine/security/departments.ts';
import { setUserRoles } from '../../engine/security/roles.ts';
import { createApiToken } from '../../engine/security/tokens.ts';
import { createUser } from '../../engine/security/users.ts';
import { apiClient } from '../support/api.ts';
import { testDatabases, type TestDatabase } from '../support/databases.ts';

const system = systemActor('test');
type Login = 'admin' | 'sales1' | 'sales2' | 'nobody';

/** Every file under a directory, recursively. */
async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries.filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));
}

/** A body of `total` bytes sent in 1 MiB chunks, with no Content-Length: only the byte counter can stop it. */
function chunked(total: number): ReadableStream<Uint8Array> {
  let sent = 0;
  return new ReadableStream({
    pull(controller) {
      if (sent >= total) return controller.close();
      const size = Math.min(1024 * 1024, total - sent);
      sent += size;
      controller.enqueue(new Uint8Array(size).fill(7));
    },
  });
}

for (const setup of testDatabases()) {
  describe(`file attachments through the REST API on ${setup.kind}`, () => {
    let t: TestDatabase;
    let deps: ApiDeps;
    let dataDir: string;
    const tokens = {} as Record<Login, string>;
    const as = (login: Login) => apiClient(() => deps, () => tokens[login]);
    const upload = (login: Login, entity: string, field: string, name: string, raw: BodyInit, type = 'text/plain; charset=utf-8') =>
      as(login).call('POST', `/api/v1/files?entity=${entity}&field=${field}`, {
        raw, headers: { 'Content-Type': type, 'X-File-Name': encodeURIComponent(name) },
      });
    const fileRows = async () => Number((await deps.db.selectFrom('forma.file').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

    beforeAll(async () => {
      t = await setup.open();
      dataDir = await mkdtemp(path.join(os.tmpdir(), 'forma-files-'));
      deps = { db: t.database.db, workspace: 'crm', dataDir };
      await installPackage(deps, system, standardCrm);
      await createDepartment(deps.db, system, { name: '销售部' });
      const people: [Login, string, string | undefined, string[]][] = [
        ['admin', '管理员', undefined, [ADMIN_ROLE]],
        ['sales1', '李明', '销售部', ['salesperson']],
        ['sales2', '赵丽', '销售部', ['salesperson']],
        ['nobody', '无角色', undefined, []],
      ];
      for (const [login, displayName, department, roles] of people) {
        await createUser(deps.db, system, { login, displayName, ...(department ? { department } : {}) });
        await setUserRoles(deps.db, system, 'crm', login, roles);
        tokens[login] = (await createApiToken(deps.db, system, { login })).token;
      }
    });
    afterAll(async () => {
      await t?.cleanup();
      if (dataDir) await rm(dataDir, { recursive: true, force: true });
    });

    it('stores an upload, attaches it to a record and gives it back to those who may read that record', async () => {
      const name = '产品手册 (2026版).txt';
      const content = new TextEncoder().encode('Forma 附件测试\n第二行\n');
      const uploaded = await upload('admin', 'knowledge_article', 'attachments', name, content);
      expect(uploaded.status, JSON.stringify(uploaded.body)).toBe(201);
      expect(uploaded.body).toEqual({ id: expect.any(String), name, size: content.byteLength, contentType: 'text/plain' });
      const stored = await filesUnder(path.join(dataDir, 'files'));
      expect(stored).toHaveLength(1);
      expect(stored[0]).toContain(path.join('files', 'crm'));
      expect(path.basename(stored[0]!)).toBe(uploaded.body.id);

      // Not attached yet: nobody can download it.
      expect((await as('admin').get(`/api/v1/files/${uploaded.body.id}`)).status).toBe(404);

      const article = await as('admin').post('/api/v1/records/knowledge_article', { title: '产品手册', attachments: [uploaded.body] });
      expect(article.status, JSON.stringify(article.body)).toBe(201);
      expect(article.body.attachments).toEqual([uploaded.body]);

      const download = await as('admin').get(`/api/v1/files/${uploaded.body.id}`);
      expect(download.status).toBe(200);
      expect(download.bytes).toEqual(content);
      expect(download.headers.get('Content-Type')).toBe('text/plain');
      expect(download.headers.get('X-Content-Type-Options')).toBe('nosniff');
      expect(download.headers.get('Content-Disposition')).toBe(
        `attachment; filename="____ (2026_).txt"; filename*=UTF-8''${encodeURIComponent(name).replace('(', '%28').replace(')', '%29')}`,
      );
      // Salespeople read every knowledge article; a user without roles reads none.
      expect((await as('sales1').get(`/api/v1/files/${uploaded.body.id}`)).status).toBe(200);
      const refused = await as('nobody').get(`/api/v1/files/${uploaded.body.id}`);
      expect(refused.status).toBe(404);
      expect(refused.body.error.code).toBe('file_not_found');
      expect((await as('admin').get('/api/v1/files/00000000-0000-4000-8000-000000000000')).status).toBe(404);
      expect((await as('admin').get('/api/v1/files/../../etc/passwd')).status).toBe(404);
    });

    it('keeps a file within the record scope of the record holding it', async () => {
      const customer = await as('sales1').post('/api/v1/records/customer', { name: '上海新时代网络科技有限公司' });
      expect(customer.status, JSON.stringify(customer.body)).toBe(201);
      const scan = await upload('sales1', 'contract', 'attachments', '合同扫描件.pdf', new Uint8Array([37, 80, 68, 70, 0, 255]), 'application/pdf');
      expect(scan.status, JSON.stringify(scan.body)).toBe(201);
      const contract = await as('sales1').post('/api/v1/records/contract', { title: '年度采购合同', customer: customer.body.id, attachments: [scan.body] });
      expect(contract.status, JSON.stringify(contract.body)).toBe(201);
      const mine = await as('sales1').get(`/api/v1/files/${scan.body.id}`);
      expect(mine.status).toBe(200);
      expect(mine.bytes).toEqual(new Uint8Array([37, 80, 68, 70, 0, 255]));
      expect(mine.headers.get('Content-Type')).toBe('application/pdf');
      // Contracts are read in the scope `own`: another salesperson cannot read it, nor its file.
      expect((await as('sales2').get(`/api/v1/files/${scan.body.id}`)).status).toBe(404);
      expect((await as('admin').get(`/api/v1/files/${scan.body.id}`)).status).toBe(200);
    });

    it('refuses a file over the field limit with 413, keeping nothing', async () => {
      const before = { rows: await fileRows(), files: (await filesUnder(dataDir)).length };
      // Contracts' scans are limited to 20 MB: streamed without a Content-Length, the counter stops it.
      const streamed = await upload('sales1', 'contract', 'attachments', '太大了.bin', chunked(21 * 1024 * 1024), 'application/octet-stream');
      expect(streamed.status).toBe(413);
      expect(streamed.body.error.code).toBe('file_too_large');
      expect(streamed.body.error.message).toEqual({ 'zh-CN': '文件过大：不能超过 20 MB', en: 'The file is too large: the limit is 20 MB' });
      // Announced as too large: refused before reading.
      const declared = await as('sales1').call('POST', '/api/v1/files?entity=contract&field=attachments', {
        raw: new Uint8Array(10), headers: { 'Content-Type': 'application/pdf', 'X-File-Name': 'a.pdf', 'Content-Length': String(21 * 1024 * 1024) },
      });
      expect(declared.status).toBe(413);
      expect({ rows: await fileRows(), files: (await filesUnder(dataDir)).length }).toEqual(before);
    });

    it('refuses uploads to what is not a file field the person may write', async () => {
      const bytes = new Uint8Array([1, 2, 3]);
      const notFile = await upload('admin', 'knowledge_article', 'title', 'a.txt', bytes);
      expect(notFile.status).toBe(400);
      expect(notFile.body.error.code).toBe('file_field_invalid');
      expect((await upload('admin', 'knowledge_article', 'no_such_field', 'a.txt', bytes)).body.error.code).toBe('file_field_invalid');
      const unknown = await upload('admin', 'no_such_entity', 'attachments', 'a.txt', bytes);
      expect(unknown.status).toBe(404);
      expect(unknown.body.error.code).toBe('entity_unknown');
      // Salespeople only read knowledge articles.
      expect((await upload('sales1', 'knowledge_article', 'attachments', 'a.txt', bytes)).status).toBe(403);
      expect((await upload('nobody', 'contract', 'attachments', 'a.txt', bytes)).status).toBe(403);
      const nameless = await as('admin').call('POST', '/api/v1/files?entity=knowledge_article&field=attachments', { raw: bytes });
      expect(nameless.status).toBe(400);
      expect((await upload('admin', 'knowledge_article', 'attachments', 'a.txt', bytes, 'text/plain')).status).toBe(201);
      expect((await as('admin').call('POST', '/api/v1/files?entity=knowledge_article&field=attachments', { raw: bytes, token: null })).status).toBe(401);
    });
  });
}
