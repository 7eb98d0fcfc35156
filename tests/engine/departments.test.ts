import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../../engine/security/actor.ts';
import { createDepartment, departmentAndBelow, findDepartment, listDepartments } from '../../engine/security/departments.ts';
import { searchSystemLog } from '../../engine/security/system-log.ts';
import { createUser } from '../../engine/security/users.ts';
import { testDatabases, type TestDatabase } from '../support/databases.ts';
import { refusal } from '../support/refusal.ts';

const actor = systemActor('test');

for (const setup of testDatabases()) {
  describe(`departments on ${setup.kind}`, () => {
    let t: TestDatabase;
    beforeAll(async () => {
      t = await setup.open();
    });
    afterAll(() => t?.cleanup());

    it('builds the company as a tree, with names unique among siblings', async () => {
      const db = t.database.db;
      const sales = await createDepartment(db, actor, { name: '销售部' });
      const east = await createDepartment(db, actor, { name: '华东区', parent: '销售部' });
      const team = await createDepartment(db, actor, { name: '一组', parent: '销售部/华东区' });
      await createDepartment(db, actor, { name: '技术部' });
      // The same name under another parent is fine; the path tells them apart.
      const techTeam = await createDepartment(db, actor, { name: '一组', parent: '技术部' });
      expect((await findDepartment(db, '技术部/一组', '')).id).toBe(techTeam.id);
      expect((await refusal(findDepartment(db, '一组', '/parent'))).problems).toMatchObject([{ code: 'department_ambiguous', path: '/parent' }]);
      expect((await refusal(createDepartment(db, actor, { name: '华东区', parent: '销售部' }))).problems).toMatchObject([{ code: 'department_name_taken' }]);
      expect((await refusal(createDepartment(db, actor, { name: '售后', parent: '不存在的部门' }))).problems).toMatchObject([{ code: 'department_unknown', path: '/parent' }]);
      expect((await refusal(createDepartment(db, actor, { name: ' ' }))).problems).toMatchObject([{ code: 'department_name_invalid' }]);
      expect((await departmentAndBelow(db, sales.id)).sort()).toEqual([sales.id, east.id, team.id].sort());
      expect((await listDepartments(db)).map((d) => d.name)).toEqual(['一组', '一组', '华东区', '技术部', '销售部']);
      const logged = await searchSystemLog(db, { action: 'department.create' });
      expect(logged).toHaveLength(5);
    });

    it('places users in a department under a manager, and reports every wrong reference at once', async () => {
      const db = t.database.db;
      await createDepartment(db, actor, { name: '市场部' });
      const boss = await createUser(db, actor, { login: 'boss', displayName: '老板', department: '市场部' });
      await createUser(db, actor, { login: 'staff1', displayName: '员工一', department: '市场部', manager: 'boss' });
      const row = await db.selectFrom('forma.user').select(['department_id', 'manager_id']).where('login', '=', 'staff1').executeTakeFirstOrThrow();
      expect(row.manager_id).toBe(boss.id);
      expect(row.department_id).toBe((await findDepartment(db, '市场部', '')).id);
      const error = await refusal(createUser(db, actor, { login: 'staff2', displayName: '员工二', department: '没有的部门', manager: 'nobody' }));
      expect(error.problems.map((p) => `${p.code} ${p.path}`)).toEqual(['department_unknown /department', 'manager_unknown /manager']);
    });
  });
}
