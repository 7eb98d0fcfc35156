import { sql, type Kysely } from 'kysely';

/**
 * What the security model keeps besides the role documents (which are metadata): which roles
 * each user holds in a workspace, records shared with named users or departments, cookie
 * sessions, and a lock on an account after repeated failed sign-ins. Frozen in time.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .withSchema('forma')
    .createTable('user_role')
    .addColumn('user_id', 'uuid', (c) => c.notNull().references('forma.user.id'))
    .addColumn('workspace', 'text', (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('user_role_pkey', ['user_id', 'workspace', 'role'])
    .execute();

  // A record shared with one user or one department (and the departments below it), to read or to edit.
  await db.schema
    .withSchema('forma')
    .createTable('record_share')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('workspace', 'text', (c) => c.notNull())
    .addColumn('entity', 'text', (c) => c.notNull())
    .addColumn('record_id', 'uuid', (c) => c.notNull())
    .addColumn('user_id', 'uuid', (c) => c.references('forma.user.id'))
    .addColumn('department_id', 'uuid', (c) => c.references('forma.department.id'))
    .addColumn('access', 'text', (c) => c.notNull().check(sql`access in ('read', 'edit')`))
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint('record_share_one_grantee', sql`(user_id is null) <> (department_id is null)`)
    .execute();
  await sql`create unique index record_share_grantee on forma.record_share
    (workspace, entity, record_id, coalesce(user_id, department_id))`.execute(db);
  // Record scopes ask "which records of this entity are shared with me": by grantee first.
  await sql`create index record_share_user on forma.record_share (workspace, entity, user_id, record_id) where user_id is not null`.execute(db);
  await sql`create index record_share_department on forma.record_share (workspace, entity, department_id, record_id) where department_id is not null`.execute(db);

  // Cookie sessions: only the SHA-256 of the cookie's secret is kept, like API tokens.
  await db.schema
    .withSchema('forma')
    .createTable('session')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('csrf_token', 'text', (c) => c.notNull())
    .addColumn('user_id', 'uuid', (c) => c.notNull().references('forma.user.id'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('last_seen_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .addColumn('ended_at', 'timestamptz')
    .addColumn('address', 'text')
    .addColumn('user_agent', 'text')
    .execute();
  await db.schema.withSchema('forma').createIndex('session_user').on('session').columns(['user_id']).execute();

  await db.schema.withSchema('forma').alterTable('user').addColumn('locked_until', 'timestamptz').execute();
  // Sign-in rate limits count recent failures per login tried and per address.
  await sql`create index system_log_failed_login on forma.system_log ((details->>'login'), at) where action = 'login_failed'`.execute(db);
  await sql`create index system_log_failed_address on forma.system_log (address, at) where action = 'login_failed'`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index forma.system_log_failed_address`.execute(db);
  await sql`drop index forma.system_log_failed_login`.execute(db);
  await db.schema.withSchema('forma').alterTable('user').dropColumn('locked_until').execute();
  await db.schema.withSchema('forma').dropTable('session').execute();
  await db.schema.withSchema('forma').dropTable('record_share').execute();
  await db.schema.withSchema('forma').dropTable('user_role').execute();
}
