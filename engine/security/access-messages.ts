import type { LocalizedText } from '../i18n/text.ts';

/** Messages of roles, record scopes, field permissions and sharing, by code, in zh-CN and en. */
export const accessMessages = {
  permission_denied: {
    'zh-CN': '你没有{operationZh}"{entityZh}"的权限',
    en: 'You may not {operationEn} "{entityEn}"',
  },
  field_forbidden: {
    'zh-CN': '你无权修改其中 {count} 个字段',
    en: 'You may not change {count} of these fields',
  },
  field_hidden_write: { 'zh-CN': '字段 "{field}" 对你的角色不可见，不能修改', en: 'Field "{field}" is hidden from your role and cannot be written' },
  field_read_only_write: { 'zh-CN': '字段 "{field}" 对你的角色只读', en: 'Field "{field}" is read-only for your role' },
  role_name_reserved: {
    'zh-CN': '角色名 "admin" 是内置的系统管理员角色，请换一个名称',
    en: 'The role name "admin" is the built-in administrator role: choose another name',
  },
  role_unknown: { 'zh-CN': '角色 "{role}" 不存在', en: 'No role "{role}"' },
  roles_invalid: { 'zh-CN': '角色分配无效：{count} 个问题', en: 'Invalid role assignment: {count} problem(s)' },
  share_invalid: { 'zh-CN': '共享设置无效：{count} 个问题', en: 'Invalid share: {count} problem(s)' },
  share_grantee_invalid: {
    'zh-CN': '请指定一位用户（user）或一个部门（department），二者选一',
    en: 'Name one user (user) or one department (department), not both',
  },
  share_access_invalid: { 'zh-CN': '共享权限应为 read（只读）或 edit（可编辑）', en: 'Access must be read or edit' },
  share_unknown: { 'zh-CN': '共享 {id} 不存在', en: 'No share {id}' },
} as const satisfies Record<string, LocalizedText>;
