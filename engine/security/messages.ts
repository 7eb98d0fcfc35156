import type { LocalizedText } from '../i18n/text.ts';

/** Messages of users, API tokens and authentication, by code, in zh-CN and en. */
export const securityMessages = {
  unauthenticated: {
    'zh-CN': '需要身份验证：请先登录，或在请求头中提供有效的 API 令牌（Authorization: Bearer <令牌>）',
    en: 'Authentication required: sign in, or send a valid API token (Authorization: Bearer <token>)',
  },
  sign_in_invalid: { 'zh-CN': '登录请求无效：{count} 个问题', en: 'Invalid sign-in request: {count} problem(s)' },
  sign_in_field_invalid: { 'zh-CN': '请填写{fieldZh}（文字）', en: 'The {fieldEn} is required (as text)' },
  login_failed: {
    'zh-CN': '登录名或密码错误（同一登录名 {window} 分钟内失败 {attempts} 次后将被锁定 {minutes} 分钟）',
    en: 'Wrong login or password (after {attempts} failures within {window} minutes a login is locked for {minutes} minutes)',
  },
  login_locked: {
    'zh-CN': '此登录名失败次数过多，已被暂时锁定，请在 {minutes} 分钟后重试',
    en: 'Too many failed sign-ins with this login: it is locked for now; try again in {minutes} minute(s)',
  },
  login_rate_limited: {
    'zh-CN': '来自此地址的登录失败次数过多，请在 {minutes} 分钟后重试',
    en: 'Too many failed sign-ins from this address: try again in {minutes} minute(s)',
  },
  password_change_invalid: { 'zh-CN': '无法修改密码：{count} 个问题', en: 'The password was not changed: {count} problem(s)' },
  password_current_wrong: { 'zh-CN': '当前密码不正确', en: 'The current password is not correct' },
  user_invalid: { 'zh-CN': '用户信息无效：{count} 个问题', en: 'Invalid user: {count} problem(s)' },
  user_login_invalid: {
    'zh-CN': '登录名 "{login}" 无效：须为 2 到 64 个字符，以小写字母或数字开头，只能包含小写字母、数字和 _ . @ -',
    en: 'Login "{login}" is invalid: 2 to 64 characters, starting with a lowercase letter or digit, using only lowercase letters, digits and _ . @ -',
  },
  user_display_name_invalid: {
    'zh-CN': '显示名称不能为空，且最多 {max} 个字符',
    en: 'The display name must not be empty and may hold at most {max} characters',
  },
  user_login_taken: { 'zh-CN': '登录名 "{login}" 已被使用', en: 'Login "{login}" is already taken' },
  user_unknown: { 'zh-CN': '用户 "{login}" 不存在', en: 'No user "{login}"' },
  user_inactive: { 'zh-CN': '用户 "{login}" 已停用', en: 'User "{login}" is deactivated' },
  token_days_invalid: {
    'zh-CN': '令牌有效期须为 1 到 {max} 之间的整数天，收到 {days}',
    en: 'A token lasts a whole number of days from 1 to {max}, got {days}',
  },
  token_label_invalid: {
    'zh-CN': '令牌说明最多 {max} 个字符',
    en: 'A token label may hold at most {max} characters',
  },
  token_unknown: { 'zh-CN': 'API 令牌 {id} 不存在', en: 'No API token {id}' },
  user_password_invalid: {
    'zh-CN': '密码至少需要 {min} 个字符（最多 200 个）',
    en: 'A password needs at least {min} characters (at most 200)',
  },
  system_log_filter_invalid: {
    'zh-CN': '系统日志查询条件无效：{count} 个问题',
    en: 'Invalid system log search: {count} problem(s)',
  },
  system_log_filter_unknown: {
    'zh-CN': '没有 "{key}" 这个查询条件，可选：{keys}',
    en: 'No search option "{key}"; one of: {keys}',
  },
  system_log_action_unknown: {
    'zh-CN': '没有 "{action}" 这种操作，可选：{actions}',
    en: 'No action "{action}"; one of: {actions}',
  },
  system_log_actor_invalid: {
    'zh-CN': '用户应为 1 到 {max} 个字符的登录名',
    en: 'The user must be a login of 1 to {max} characters',
  },
  system_log_workspace_invalid: {
    'zh-CN': '工作区应为 1 到 {max} 个字符的名称',
    en: 'The workspace must be a name of 1 to {max} characters',
  },
  system_log_time_invalid: {
    'zh-CN': '应为有效的时间（Date）',
    en: 'Must be a valid time (a Date)',
  },
  system_log_range_invalid: {
    'zh-CN': '开始时间 {from} 晚于结束时间 {to}',
    en: 'The start {from} is after the end {to}',
  },
  system_log_limit_invalid: {
    'zh-CN': '条数应为 1 到 {max} 之间的整数，收到 {limit}',
    en: 'The limit is a whole number from 1 to {max}, got {limit}',
  },
  system_log_before_invalid: {
    'zh-CN': '翻页位置应为日志编号（正整数），收到 {before}',
    en: 'Paging back takes a log entry id (a positive whole number), got {before}',
  },
  department_invalid: { 'zh-CN': '部门信息无效：{count} 个问题', en: 'Invalid department: {count} problem(s)' },
  department_name_invalid: { 'zh-CN': '部门名称须为 1 到 100 个字符', en: 'A department name has 1 to 100 characters' },
  department_name_taken: { 'zh-CN': '{parent}下已有部门 "{name}"', en: 'There is already a department "{name}" under {parent}' },
  department_unknown: { 'zh-CN': '部门 "{name}" 不存在', en: 'No department "{name}"' },
  department_ambiguous: {
    'zh-CN': '有多个名为 "{name}" 的部门，请用完整路径，如 "销售部/{name}"',
    en: 'Several departments are called "{name}": give its path, e.g. "Sales/{name}"',
  },
  manager_unknown: { 'zh-CN': '上级 "{login}" 不存在', en: 'No user "{login}" to be the manager' },
} as const satisfies Record<string, LocalizedText>;
