import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword, verifyPassword } from '../../engine/security/passwords.ts';
import { systemActor } from '../../engine/security/actor.ts';
import { authenticateUser, createUser } from '../../engine/security/users.ts';
import { testDatabases, type TestDatabase } from '../support/databases.ts';
import { refusal } from '../support/refusal.ts';

const actor = systemActor('test');

describe('passwords', () => {
  it('stores a salted scrypt hash that only the same password matches', async () => {
    const [a, b] = await Promise.all([hashPassword('forma-demo'), hashPassword('forma-demo')]);
    expect(a).toMatch(/^scrypt\$32768\$8\$1\$[\w-]{22}\$[\w-]{43}$/);
    expect(a).not.toBe(b);
    expect(await verifyPassword('forma-demo', a)).toBe(true);
    expect(await verifyPassword('forma-demO', a)).toBe(false);
    expect(await verifyPassword('forma-demo', 'plain')).toBe(false);
  });
});

for (const setup of testDatabases()) {
  describe(`users on ${setup.kind}`, () => {
    let t: TestDatabase;
    beforeAll(async () => {
      t = await setup.open();
    });
    afterAll(() => t?.cleanup());

    it('signs in only with the right password of an active user, never saying which part was wrong', async () => {
      const db = t.database.db;
      await createUser(db, actor, { login: 'sales1', displayName: '销售一', password: '销售一的登录密码!' });
      await createUser(db, actor, { login: 'nopassword', displayName: '无密码' });
      expect(await authenticateUser(db, 'sales1', '销售一的登录密码!')).toMatchObject({ login: 'sales1', displayName: '销售一' });
      expect(await authenticateUser(db, 'sales1', 'wrong-password')).toBeUndefined();
      expect(await authenticateUser(db, 'nobody', '销售一的登录密码!')).toBeUndefined();
      expect(await authenticateUser(db, 'nopassword', '')).toBeUndefined();
      await db.updateTable('forma.user').set({ active: false }).where('login', '=', 'sales1').execute();
      expect(await authenticateUser(db, 'sales1', '销售一的登录密码!')).toBeUndefined();
      const stored = await db.selectFrom('forma.user').select('password_hash').where('login', '=', 'sales1').executeTakeFirstOrThrow();
      expect(stored.password_hash).not.toContain('销售一的密码');
    });

    it('refuses a short password with the other problems of the input', async () => {
      const error = await refusal(createUser(t.database.db, actor, { login: 'Bad Login', displayName: '', password: 'short' }));
      expect(error.problems.map((p) => `${p.code} ${p.path}`)).toEqual([
        'user_login_invalid /login', 'user_display_name_invalid /displayName', 'user_password_invalid /password',
      ]);
    });
  });
}
