import { sql, type Expression, type Kysely, type SqlBool, type Transaction } from 'kysely';
import { FormaError, problem, type Problem } from '../errors.ts';
import { lineParentsOf } from '../metadata/check-model.ts';
import { escapePointer } from '../metadata/ajv.ts';
import { documentKey, type EntityDocument, type MetadataDocument, type Model } from '../metadata/model.ts';
import { ADMIN_ROLE, type Actor } from './actor.ts';
import { logEvent } from './system-log.ts';

/** What a role may do with an entity's records (`role.schema.json#/$defs/entityPermission`). */
export const RIGHTS = ['create', 'read', 'update', 'delete', 'export', 'print', 'batchDelete', 'import'] as const;
export type Right = (typeof RIGHTS)[number];

/** Which records the rights reach, narrowest first. Everyone also reaches their team's (managers) and records shared with them. */
export const SCOPES = ['own', 'department', 'department_tree', 'all'] as const;
export type Scope = (typeof SCOPES)[number];

/** One actor's permissions on one entity, all of their roles combined. */
export interface EntityAccess {
  rights: ReadonlySet<Right>;
  scope: Scope;
  /** Fields the actor never sees: left out of records, lists, searches, history and the API description. */
  hidden: ReadonlySet<string>;
  /** Fields the actor sees but may not write (hidden ones are not writable either). */
  readOnly: ReadonlySet<string>;
}

/** Whether a record scope is checked for reading it or for changing it (a share may allow reading only). */
export type ScopePurpose = 'read' | 'edit';

/**
 * What an actor may do in a workspace at one metadata version: computed from their roles (role
 * documents, plus the built-in `admin`), their department and their team, and used by every
 * records engine entry point. Deny by default: an entity no role names is closed.
 */
export interface Access {
  actor: Actor;
  /** The system, or a user holding an administrator role: every right, every record, every field. */
  admin: boolean;
  roles: readonly string[];
  /**
   * The actor's permissions on an entity, or undefined when the entity does not exist for them
   * (it is in a module none of their roles shows): callers answer as for an unknown entity.
   */
  entity(name: string): EntityAccess | undefined;
  /**
   * The WHERE condition limiting a table aliased `alias` to the records of `entity` the actor
   * may read or edit — owned by them, their team, their department (per the scope) or shared
   * with them; none when they may not read the entity — or undefined when no condition is
   * needed (scope `all`, administrators).
   */
  scope(entity: string, alias: string, purpose: ScopePurpose): Expression<SqlBool> | undefined;
  /** The entity's label, for messages: a refusal names 商品, not `product`. */
  label(entity: string): EntityLabel;
}

export interface EntityLabel {
  zh: string;
  en: string;
}

/** The organisation facts record scopes are computed from, for one user. */
interface Organisation {
  roles: string[];
  /** The user, and everyone reporting to them directly or further down. */
  team: string[];
  /** Users of the user's own department. */
  department: string[];
  /** Users of the user's department and every department below it. */
  departmentTree: string[];
  /** Records shared with the user or a department they belong to (theirs or one above it), by entity. */
  shared: { read: Map<string, string[]>; edit: Map<string, string[]> };
}

const FULL: EntityAccess = { rights: new Set(RIGHTS), scope: 'all', hidden: new Set(), readOnly: new Set() };
const NONE: EntityAccess = { rights: new Set(), scope: 'own', hidden: new Set(), readOnly: new Set() };

/**
 * How long a computed Access may serve before the organisation (roles, team, departments,
 * shares) is read again, at most: changes made through Forma take effect at once anyway.
 */
const ACCESS_TTL_MS = 30_000;

interface CacheEntry { at: number; generation: number; access: Promise<Access> }
const caches = new WeakMap<Kysely<any>, WeakMap<Model, Map<string, CacheEntry>>>();
let generation = 0;

/**
 * The actor's Access in a workspace for a model, kept for a short while per database, model and
 * actor so that checking permissions costs nothing on a busy list screen. Changes to roles,
 * users or departments made through Forma drop every cached Access at once (`forgetAccess`,
 * and `watchSecurityChanges` for other processes); the model object changes with every
 * metadata version, so role documents never go stale.
 *
 * @example const access = await accessOf(ctx.db, ctx.workspace, actor, model); access.entity('customer')?.rights.has('read')
 */
export function accessOf(db: Kysely<any>, workspace: string, actor: Actor, model: Model): Promise<Access> {
  if (actor.kind === 'system') return Promise.resolve(adminAccess(actor));
  let perModel = caches.get(db);
  if (!perModel) caches.set(db, (perModel = new WeakMap()));
  let perActor = perModel.get(model);
  if (!perActor) perModel.set(model, (perActor = new Map()));
  const key = `${workspace}\n${actor.id}`;
  const cached = perActor.get(key);
  if (cached && cached.generation === generation && Date.now() - cached.at < ACCESS_TTL_MS) return cached.access;
  const access = organisationOf(db, workspace, actor.id).then((org) => buildAccess(model, actor, org));
  perActor.set(key, { at: Date.now(), generation, access });
  access.catch(() => perActor!.delete(key));
  return access;
}

/** Drops every cached Access of this process: roles, users or departments changed. */
export function forgetAccess(): void {
  generation += 1;
}

const CHANNEL = 'forma_security';

/**
 * Runs a change to roles, users, departments or shares in a transaction (the caller's, or a new
 * one) that also tells every process watching the database (`watchSecurityChanges`) when it
 * commits; this process forgets its cached permissions once the work is done, so no request
 * keeps using what the change replaced.
 */
export async function changingSecurity<T>(db: Kysely<any>, work: (trx: Transaction<any>) => Promise<T>): Promise<T> {
  const announced = async (trx: Transaction<any>) => {
    const result = await work(trx);
    await sql`select pg_notify(${CHANNEL}, 'changed')`.execute(trx);
    return result;
  };
  try {
    return await (db.isTransaction ? announced(db as Transaction<any>) : db.transaction().execute(announced));
  } finally {
    forgetAccess();
  }
}

/**
 * Keeps this process's cached permissions current with changes made by other processes on the
 * same database. Resolves to a function that stops it.
 */
export function watchSecurityChanges(database: { listen(channel: string, onMessage: (payload: string) => void): Promise<() => Promise<void>> }) {
  return database.listen(CHANNEL, () => forgetAccess());
}

/**
 * Everything, for the engine's own reads inside a write (the values a history entry compares,
 * the row a formula is computed on): never what is returned to a caller who is not an administrator.
 */
export function unrestricted(actor: Actor): Access {
  return adminAccess(actor);
}

function adminAccess(actor: Actor, roles: readonly string[] = []): Access {
  return { actor, admin: true, roles, entity: () => FULL, scope: () => undefined, label: (name) => ({ zh: name, en: name }) };
}

async function organisationOf(db: Kysely<any>, workspace: string, userId: string): Promise<Organisation> {
  // `union` (not `union all`) in the team walk: a manager cycle someone made ends instead of looping.
  const { rows } = await sql<{ roles: string[] | null; team: string[] | null; department: string[] | null; tree: string[] | null; above: string[] | null }>`
    with recursive
      me as (select id, department_id from forma."user" where id = ${userId}::uuid and active),
      team as (
        select id from me
        union select u.id from forma."user" u join team t on u.manager_id = t.id where u.active),
      below as (
        select department_id as id from me where department_id is not null
        union select d.id from forma.department d join below b on d.parent_id = b.id),
      above as (
        select department_id as id from me where department_id is not null
        union select d.parent_id from forma.department d join above a on d.id = a.id where d.parent_id is not null)
    select
      (select array_agg(role order by role) from forma.user_role where user_id = (select id from me) and workspace = ${workspace}) as roles,
      (select array_agg(id) from team) as team,
      (select array_agg(u.id) from forma."user" u where u.department_id = (select department_id from me)) as department,
      (select array_agg(u.id) from forma."user" u where u.department_id in (select id from below)) as tree,
      (select array_agg(id) from above) as above`.execute(db);
  const row = rows[0]!;
  const list = (value: unknown) => (Array.isArray(value) ? value.map(String) : []);
  const shares = await db.selectFrom('forma.record_share').select(['entity', 'record_id', 'access'])
    .where('workspace', '=', workspace)
    .where((eb) => eb.or([eb('user_id', '=', userId), ...(row.above?.length ? [eb('department_id', 'in', list(row.above))] : [])]))
    .execute();
  const shared = { read: new Map<string, string[]>(), edit: new Map<string, string[]>() };
  for (const share of shares) {
    for (const purpose of share.access === 'edit' ? (['read', 'edit'] as const) : (['read'] as const)) {
      shared[purpose].set(share.entity, [...(shared[purpose].get(share.entity) ?? []), String(share.record_id)]);
    }
  }
  return { roles: list(row.roles), team: list(row.team), department: list(row.department), departmentTree: list(row.tree), shared };
}

function buildAccess(model: Model, actor: Actor, org: Organisation): Access {
  const roleDocuments = org.roles.map((name) => model.get(documentKey({ kind: 'role', name }))).filter((doc): doc is MetadataDocument => doc !== undefined);
  if (org.roles.includes(ADMIN_ROLE) || roleDocuments.some((doc) => doc.admin === true)) return adminAccess(actor, org.roles);
  const lineParents = lineParentsOf(model);
  const entities = new Map<string, EntityAccess | undefined>();
  const entity = (name: string): EntityAccess | undefined => {
    if (!entities.has(name)) entities.set(name, combine(model, roleDocuments, name, lineParents.has(name)));
    return entities.get(name);
  };
  const owners: Record<Scope, string[]> = {
    own: org.team,
    department: [...new Set([...org.team, ...org.department])],
    department_tree: [...new Set([...org.team, ...org.departmentTree])],
    all: [],
  };
  return {
    actor, admin: false, roles: org.roles, entity,
    label(name) {
      const label = model.get(documentKey({ kind: 'entity', name }))?.label;
      return { zh: label?.['zh-CN'] ?? name, en: label?.en ?? name };
    },
    scope(name, alias, purpose) {
      const rules = entity(name);
      // Sharing opens records to those who may read the entity, never the entity itself.
      if (!rules?.rights.has('read')) return sql<SqlBool>`false`;
      if (rules.scope === 'all') return undefined;
      // Plain equality for one owner, so PostgreSQL walks the (owner_id, column, id) index of a
      // sorted list instead of filtering the whole table's index; shares as a list of ids, not
      // a subquery, for the same reason.
      const ids = owners[rules.scope];
      const owner = sql.id(alias, 'owner_id');
      const owned = ids.length === 1 ? sql<SqlBool>`${owner} = ${ids[0]}::uuid` : sql<SqlBool>`${owner} = any(${ids}::uuid[])`;
      const shared = org.shared[purpose].get(name);
      return shared ? sql<SqlBool>`(${owned} or ${sql.id(alias, 'id')} = any(${shared}::uuid[]))` : owned;
    },
  };
}

/**
 * One entity's permissions from all of an actor's roles: the union of their rights, the widest
 * scope of the roles that may read, a field hidden only when every such role hides it and
 * writable when any role that may change records leaves it writable. An entity in a module that
 * none of the roles shows does not exist for the actor. Line-item entities are reached through
 * their parent only: they take field rules, never rights of their own.
 */
function combine(model: Model, roles: MetadataDocument[], name: string, isLineEntity: boolean): EntityAccess | undefined {
  const entity = model.get(documentKey({ kind: 'entity', name })) as EntityDocument | undefined;
  if (!entity) return undefined;
  const module = entity.schema['x-forma']?.module;
  const modules = roles.map((role) => (role.modules as Record<string, { visible: boolean }> | undefined)?.[module ?? '']);
  if (module && roles.length && modules.every((m) => m?.visible === false)) return undefined;
  type Permission = Partial<Record<Right, boolean>> & { scope?: Scope; fields?: Record<string, 'hidden' | 'readOnly'> };
  const permissions = roles
    .map((role) => (role.permissions as Record<string, Permission> | undefined)?.[name])
    .filter((p): p is Permission => p !== undefined);
  if (!permissions.length) return NONE;
  const rights = new Set<Right>(isLineEntity ? [] : RIGHTS.filter((right) => permissions.some((p) => p[right] === true)));
  const readers = isLineEntity ? permissions : permissions.filter((p) => p.read === true);
  const writers = isLineEntity ? permissions : permissions.filter((p) => p.create === true || p.update === true);
  const scope = SCOPES[Math.max(0, ...readers.map((p) => SCOPES.indexOf(p.scope ?? 'own')))]!;
  const fields = Object.keys(entity.schema.properties);
  const hidden = new Set(fields.filter((f) => readers.length > 0 && readers.every((p) => p.fields?.[f] === 'hidden')));
  const readOnly = new Set(fields.filter((f) => !hidden.has(f) && writers.length > 0 && writers.every((p) => p.fields?.[f] !== undefined)));
  return { rights, scope, hidden, readOnly };
}

/** The operations a refusal can name, for its message. */
const operationLabels: Record<Right | 'purge' | 'share' | 'admin', { zh: string; en: string }> = {
  create: { zh: '新建', en: 'create' },
  read: { zh: '查看', en: 'read' },
  update: { zh: '修改', en: 'change' },
  delete: { zh: '删除', en: 'delete' },
  export: { zh: '导出', en: 'export' },
  print: { zh: '打印', en: 'print' },
  batchDelete: { zh: '批量删除', en: 'delete in batches' },
  import: { zh: '导入', en: 'import' },
  purge: { zh: '彻底删除', en: 'purge' },
  share: { zh: '共享', en: 'share' },
  admin: { zh: '管理', en: 'administer' },
};

export type Operation = keyof typeof operationLabels;

/**
 * The entity's permissions for an actor who must hold `right` on it: refused with
 * `permission_denied` (403) — logged — when they do not, with `entity_unknown` (404) when the
 * entity does not exist for them.
 */
export async function requireRight(db: Kysely<any>, workspace: string, access: Access, entity: string, right: Right): Promise<EntityAccess> {
  const rules = access.entity(entity);
  if (!rules) throw new FormaError('entity_unknown', { entity });
  if (!rules.rights.has(right)) await logRefusal(db, permissionDenied(workspace, access.actor, right, { entity }, access.label(entity)));
  return rules;
}

/** Workspace administration (users, roles, metadata) is for administrators and the system only. */
export async function requireAdmin(db: Kysely<any>, workspace: string | undefined, access: Access): Promise<void> {
  if (!access.admin) await logRefusal(db, permissionDenied(workspace, access.actor, 'admin'));
}

/**
 * Users, departments and API tokens belong to no one workspace: they are managed by the system
 * (setup, the CLI) and by holders of the built-in `admin` role in any workspace.
 */
export async function requireUserAdministrator(db: Kysely<any>, actor: Actor): Promise<void> {
  if (actor.kind === 'system') return;
  const held = await db.selectFrom('forma.user_role').select('role').where('user_id', '=', actor.id).where('role', '=', ADMIN_ROLE).executeTakeFirst();
  if (!held) await logRefusal(db, permissionDenied(undefined, actor, 'admin'));
}

/** What a refusal writes to the system log. */
interface Denial {
  workspace?: string;
  actor: Actor;
  operation: string;
  entity?: string;
  recordId?: string;
  reason?: string;
}

const denials = new WeakMap<object, Denial>();

/**
 * A refusal to write to the system log once the refused work is undone: attached to the error
 * it is thrown as, because inside a transaction the log row would roll back with the work (and
 * the embedded database has one connection, busy with that transaction). `logRefusal` writes it.
 */
export function withDenial<E extends Error>(error: E, denial: Denial): E {
  denials.set(error, denial);
  return error;
}

/** `permission_denied` (403) for an operation on an entity (named by its `label`), to be logged by `logRefusal`. */
export function permissionDenied(
  workspace: string | undefined, actor: Actor, operation: Operation, where: { entity?: string; recordId?: string } = {},
  label: EntityLabel = { zh: where.entity ?? '本工作区', en: where.entity ?? 'this workspace' },
): FormaError {
  const verb = operationLabels[operation];
  const error = new FormaError('permission_denied', { operationZh: verb.zh, operationEn: verb.en, entityZh: label.zh, entityEn: label.en });
  return withDenial(error, { workspace, actor, operation, ...where });
}

/**
 * Writes the refusal an error carries (if any) to the system log and throws the error: call it
 * where a refused call ends — after its transaction rolled back — e.g. `.catch((e) => logRefusal(db, e))`.
 */
export async function logRefusal(db: Kysely<any>, error: unknown): Promise<never> {
  const denial = typeof error === 'object' && error !== null ? denials.get(error) : undefined;
  if (denial) {
    denials.delete(error as object);
    const { workspace, actor, operation, entity, recordId, reason } = denial;
    await logEvent(db, {
      workspace, actor, action: 'access_denied', entity, recordId, outcome: 'failure',
      details: { operation, ...(reason ? { reason } : {}) },
    });
  }
  throw error;
}

/**
 * Fields of a write the actor may not set: hidden ones and read-only ones, each a problem at its
 * place (`/discount`, `/lines/2/unit_price`). Checked before the record's own validation.
 */
export function forbiddenFields(access: Access, entity: string, input: unknown, children: ReadonlyMap<string, string>, at = ''): Problem[] {
  if (access.admin || typeof input !== 'object' || input === null || Array.isArray(input)) return [];
  const rules = access.entity(entity);
  if (!rules) return [];
  const problems: Problem[] = [];
  for (const [key, value] of Object.entries(input)) {
    const path = `${at}/${escapePointer(key)}`;
    if (rules.hidden.has(key)) problems.push(problem('field_hidden_write', path, { field: key }));
    else if (rules.readOnly.has(key)) problems.push(problem('field_read_only_write', path, { field: key }));
    const child = children.get(key);
    if (child && Array.isArray(value)) value.forEach((row, i) => problems.push(...forbiddenFields(access, child, row, new Map(), `${path}/${i}`)));
  }
  return problems;
}
