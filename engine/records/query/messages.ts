import type { LocalizedText } from '../../i18n/text.ts';

/**
 * Messages of finding records (`runQuery`), by code, in zh-CN and en. Unknown and archived
 * fields are reported with the metadata module's `field_unknown`; shape errors with
 * `schema_violation`. Codes are stable: clients and tests match on them.
 */
export const queryMessages = {
  query_invalid: {
    'zh-CN': '查询无效：发现 {count} 个问题',
    en: 'Invalid query: {count} problem(s)',
  },
  query_operator_unsupported: {
    'zh-CN': '字段 "{field}"（{type}）不支持运算符 {op}，可用：{ops}',
    en: 'Field "{field}" ({type}) does not support operator {op}; available: {ops}',
  },
  query_value_invalid: {
    'zh-CN': '字段 "{field}" 的值无效：{zh}',
    en: 'Invalid value for field "{field}": {en}',
  },
  query_path_not_lookup: {
    'zh-CN': '"{field}" 不是查找字段，不能通过它引用 "{path}"',
    en: '"{field}" is not a lookup field, so "{path}" leads nowhere',
  },
  query_field_unsortable: {
    'zh-CN': '不能按字段 "{field}"（{type}）排序',
    en: 'Records cannot be sorted by field "{field}" ({type})',
  },
  query_field_not_own: {
    'zh-CN': '返回字段只能是本实体的字段："{field}" 属于关联记录，请返回查找字段 "{lookup}" 的 ID',
    en: 'Only the entity\'s own fields can be returned: "{field}" belongs to a related record; return the lookup "{lookup}" (its id) instead',
  },
  query_lines_field: {
    'zh-CN': '明细字段 "{field}" 不能用于查询；请查询明细实体 "{entity}"',
    en: 'Lines field "{field}" cannot be queried; query the line entity "{entity}" instead',
  },
  query_cursor_invalid: {
    'zh-CN': '分页游标无效或不属于当前排序，请从第一页重新开始',
    en: 'The page cursor is invalid or belongs to another sort; start again from the first page',
  },
  query_list_too_long: {
    'zh-CN': '列表最多 {max} 项',
    en: 'A list may hold at most {max} items',
  },
  query_filter_too_deep: {
    'zh-CN': '筛选条件最多嵌套 {max} 层',
    en: 'Filters may nest at most {max} levels deep',
  },
  query_filter_too_large: {
    'zh-CN': '筛选条件最多 {max} 个节点（现有 {count} 个）',
    en: 'A filter may hold at most {max} nodes (this one has {count})',
  },
} as const satisfies Record<string, LocalizedText>;
