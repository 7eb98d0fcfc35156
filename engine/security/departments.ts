import { sql, type Kysely } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import { FormaError, problem } from '../errors.ts';
import { changingSecurity, requireUserAdministrator } from './access.ts';
import type { Actor } from './actor.ts';
import { logEvent } from './system-log.ts';

/** A department of the company (销售部, 销售一部…), placed under its parent. */
export interface Department {
  id: string;
  name: string;
  parentId: string | null;
}

const NAME_MAX = 100;

/**
 * Creates a department, at the top or under `parent` (its name, or its path `销售部/销售一部`
 * when names repeat). Sibling departments have different names.
 *
 * @example await createDepartment(db, actor, { name: '销售一部', parent: '销售部' });
 */
export async function createDepartment(db: Kysely<any>, actor: Actor, input: { name: string; parent?: string }): Promise<Department> {
  await requireUserAdministrator(db, actor);
  const name = typeof input.name === 'string' ? input.name.trim() : '';
  if (!name || name.length > NAME_MAX || name.includes('/')) {
    throw new FormaError('department_invalid', { count: 1 }, [problem('department_name_invalid', '/name')]);
  }
  const parent = input.parent === undefined ? undefined : await findDepartment(db, input.parent, '/parent');
  const department: Department = { id: uuidv7(), name, parentId: parent?.id ?? null };
  try {
    await changingSecurity(db, async (trx) => {
      await trx.insertInto('forma.department').values({ id: department.id, name, parent_id: department.parentId }).execute();
      await logEvent(trx, { actor, action: 'department.create', details: { department: department.id, name, parent: parent?.name ?? null } });
    });
  } catch (error) {
    if ((error as { code?: string }).code === '23505') {
      throw new FormaError('department_invalid', { count: 1 }, [problem('department_name_taken', '/name', { name, parent: parent?.name ?? '顶层 / the top level' })]);
    }
    throw error;
  }
  return department;
}

/**
 * The department a person names: by name, or by path from the top (`销售部/销售一部`).
 * Unknown or ambiguous names are problems at `at`.
 */
export async function findDepartment(db: Kysely<any>, reference: string, at: string): Promise<Department> {
  const path = String(reference).split('/').map((part) => part.trim()).filter(Boolean);
  let candidates = await db.selectFrom('forma.department').select(['id', 'name', 'parent_id']).where('name', '=', path.at(-1) ?? '').execute();
  if (path.length > 1) {
    const parent = await findDepartment(db, path.slice(0, -1).join('/'), at);
    candidates = candidates.filter((d) => d.parent_id === parent.id);
  }
  if (candidates.length === 1) return { id: candidates[0]!.id, name: candidates[0]!.name, parentId: candidates[0]!.parent_id };
  const code = candidates.length ? 'department_ambiguous' : 'department_unknown';
  throw new FormaError('department_invalid', { count: 1 }, [problem(code, at, { name: reference })]);
}

/** Every department, each with its parent: the tree, in name order within each level. */
export async function listDepartments(db: Kysely<any>): Promise<Department[]> {
  const rows = await db.selectFrom('forma.department').select(['id', 'name', 'parent_id']).orderBy('name').execute();
  return rows.map((r) => ({ id: r.id, name: r.name, parentId: r.parent_id }));
}

/**
 * A department and all departments below it: the "own department and sub-departments" record
 * scope. One recursive query.
 */
export async function departmentAndBelow(db: Kysely<any>, id: string): Promise<string[]> {
  const { rows } = await sql<{ id: string }>`
    with recursive tree as (
      select id from forma.department where id = ${id}::uuid
      union all
      select d.id from forma.department d join tree on d.parent_id = tree.id)
    select id from tree`.execute(db);
  return rows.map((r) => r.id);
}
