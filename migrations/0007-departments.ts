import { sql, type Kysely } from 'kysely';

/**
 * Departments as a tree, and each user's department and manager: what record scopes (own
 * department, department and sub-departments, a manager's team) are computed from. Frozen in time.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .withSchema('forma')
    .createTable('department')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('parent_id', 'uuid', (c) => c.references('forma.department.id'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  // Sibling departments have different names (top-level ones too: their parent is "none").
  await sql`create unique index department_sibling_name on forma.department
    (coalesce(parent_id, '00000000-0000-0000-0000-000000000000'::uuid), name)`.execute(db);
  await db.schema
    .withSchema('forma')
    .alterTable('user')
    .addColumn('department_id', 'uuid', (c) => c.references('forma.department.id'))
    .addColumn('manager_id', 'uuid', (c) => c.references('forma.user.id'))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.withSchema('forma').alterTable('user').dropColumn('manager_id').dropColumn('department_id').execute();
  await db.schema.withSchema('forma').dropTable('department').execute();
}
