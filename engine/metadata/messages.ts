import type { LocalizedText } from '../i18n/text.ts';

/**
 * Messages of reading, validating and changing metadata, by code, in zh-CN and en. `{name}`
 * placeholders are filled from the problem's parameters. Codes are stable: clients and tests
 * match on them.
 */
export const metadataMessages = {
  // Reading documents
  json_malformed: {
    'zh-CN': 'JSON 格式错误：{detail}（第 {line} 行，第 {column} 列）',
    en: 'Malformed JSON: {detail} (line {line}, column {column})',
  },
  file_unreadable: { 'zh-CN': '无法读取 {file}：{detail}', en: 'Cannot read {file}: {detail}' },
  no_documents: { 'zh-CN': '{file} 中没有元数据文档', en: 'No metadata documents in {file}' },
  document_not_object: { 'zh-CN': '元数据文档必须是 JSON 对象', en: 'A metadata document must be a JSON object' },
  kind_unknown: {
    'zh-CN': '未知的元数据类型 "{kind}"，可用类型：{kinds}',
    en: 'Unknown metadata kind "{kind}"; known kinds: {kinds}',
  },
  schema_violation: { 'zh-CN': '{zh}', en: '{en}' },

  // Names and references
  name_reserved: {
    'zh-CN': '"{name}" 是保留字，不能用作名称',
    en: '"{name}" is a reserved word and cannot be used as a name',
  },
  name_system_column: {
    'zh-CN': '"{name}" 是系统字段名，不能用作字段名',
    en: '"{name}" is the name of a system column and cannot be used for a field',
  },
  document_duplicate: {
    'zh-CN': '{kind} "{name}" 定义了不止一次',
    en: '{kind} "{name}" is defined more than once',
  },
  column_duplicate: {
    'zh-CN': '字段 "{field}" 与字段 "{other}" 使用同一列 "{column}"',
    en: 'Field "{field}" uses column "{column}", already used by field "{other}"',
  },
  entity_unknown: { 'zh-CN': '实体 "{entity}" 不存在', en: 'Entity "{entity}" does not exist' },
  entity_archived: { 'zh-CN': '实体 "{entity}" 已归档', en: 'Entity "{entity}" is archived' },
  field_unknown: {
    'zh-CN': '实体 "{entity}" 没有字段 "{field}"',
    en: 'Entity "{entity}" has no field "{field}"',
  },
  field_archived: {
    'zh-CN': '实体 "{entity}" 的字段 "{field}" 已归档',
    en: 'Field "{field}" of entity "{entity}" is archived',
  },
  document_unknown: { 'zh-CN': '{kind} "{name}" 不存在', en: '{kind} "{name}" does not exist' },

  // Fields
  field_schema_conflict: {
    'zh-CN': '{type} 类型字段的 {keyword} 必须是 {expected}',
    en: 'A {type} field must have {keyword} = {expected}',
  },
  field_option_unsupported: {
    'zh-CN': '{type} 类型字段不支持 {option}',
    en: 'A {type} field cannot be {option}',
  },
  option_duplicate: {
    'zh-CN': '选项值 "{value}" 重复',
    en: 'Option value "{value}" appears more than once',
  },
  lines_self: {
    'zh-CN': '明细字段不能以自身实体 "{entity}" 为明细行',
    en: 'A lines field cannot hold rows of its own entity "{entity}"',
  },
  lines_shared: {
    'zh-CN': '实体 "{entity}" 已是 {other} 的明细行，不能再作为 {parent} 的明细行',
    en: 'Entity "{entity}" already holds the rows of {other}; it cannot also hold those of {parent}',
  },
  required_unknown: {
    'zh-CN': '必填字段 "{field}" 不存在',
    en: 'Required field "{field}" does not exist',
  },
  required_computed: {
    'zh-CN': '公式字段 "{field}" 由系统计算，不能设为必填',
    en: 'Formula field "{field}" is computed and cannot be required',
  },
  default_invalid: {
    'zh-CN': '字段 "{field}" 的默认值无效：{detail}',
    en: 'The default value of field "{field}" is invalid: {detail}',
  },
  formula_syntax: {
    'zh-CN': '公式语法错误（第 {index} 个字符）：{detail}',
    en: 'Formula syntax error at character {index}: {detail}',
  },
  formula_unsupported: { 'zh-CN': '公式中不支持：{detail}', en: 'Not supported in a formula: {detail}' },
  formula_function: {
    'zh-CN': '公式中没有函数 "{name}"，可用函数：{functions}',
    en: 'No function "{name}" in formulas; available: {functions}',
  },
  formula_arity: {
    'zh-CN': '函数 {name} 的参数个数不对（{count} 个）',
    en: 'Function {name} does not take {count} arguments',
  },
  formula_reference: {
    'zh-CN': '公式引用了不存在或已归档的字段 "{field}"',
    en: 'The formula refers to "{field}", which is not an active field',
  },
  formula_cycle: {
    'zh-CN': '公式之间循环引用：{cycle}',
    en: 'Formulas refer to each other in a circle: {cycle}',
  },
  formula_self: {
    'zh-CN': '公式不能引用自身字段 "{field}"',
    en: 'A formula cannot refer to its own field "{field}"',
  },
  workflow_initial: {
    'zh-CN': '工作流必须恰好有一个初始状态（现有 {count} 个）',
    en: 'A workflow needs exactly one initial state (it has {count})',
  },
  workflow_state_unknown: {
    'zh-CN': '工作流没有状态 "{state}"',
    en: 'The workflow has no state "{state}"',
  },
  name_duplicate: {
    'zh-CN': '名称 "{name}" 在此列表中重复',
    en: 'Name "{name}" appears more than once in this list',
  },
  numbering_reset_tokens: {
    'zh-CN': '按{period}重置的编号规则必须包含 {tokens}，否则编号会重复',
    en: 'A numbering rule reset {period} needs {tokens} in its pattern, or numbers would repeat',
  },
  workflow_entity: {
    'zh-CN': '工作流 "{workflow}" 属于实体 "{other}"，不属于 "{entity}"',
    en: 'Workflow "{workflow}" belongs to entity "{other}", not "{entity}"',
  },
  module_unknown: {
    'zh-CN': '模块 "{module}" 不存在（现有模块：{modules}）',
    en: 'Module "{module}" does not exist (modules: {modules})',
  },
  module_entity_foreign: {
    'zh-CN': '实体 "{entity}" 不属于模块 "{module}"（它在 "{other}" 中）：模块的实体顺序只能列出本模块的实体',
    en: 'Entity "{entity}" is not in module "{module}" (it is in "{other}"): a module orders only its own entities',
  },
  module_entity_lines: {
    'zh-CN': '"{entity}" 是明细行实体，只在所属单据中显示，不能列入模块',
    en: '"{entity}" is a line-item entity, shown only inside its document; it cannot be listed in a module',
  },

  // Plans and changes
  metadata_invalid: {
    'zh-CN': '元数据无效：发现 {count} 个问题',
    en: 'Invalid metadata: {count} problem(s)',
  },
  plan_refused: {
    'zh-CN': '变更被拒绝：{count} 项操作未通过数据检查',
    en: 'Change refused: {count} operation(s) failed their data check',
  },
  plan_destructive: {
    'zh-CN': '变更包含破坏性操作，需要明确允许',
    en: 'The change contains destructive operations and needs explicit permission',
  },
  plan_stale: {
    'zh-CN': '元数据已被他人修改：计划基于版本 {planned}，当前为版本 {current}（{actor}）',
    en: 'Metadata changed meanwhile: the plan was made on version {planned}, it is now version {current} (by {actor})',
  },
  layout_field_repeated: {
    'zh-CN': '字段 "{field}" 在表单中放了不止一次',
    en: 'Field "{field}" is placed more than once on the form',
  },
  layout_tab_unknown: { 'zh-CN': '标签页 "{tab}" 不存在', en: 'There is no tab "{tab}"' },
  layout_tab_missing: {
    'zh-CN': '表单有标签页时，每个分组都要放在某个标签页上："{section}" 没有',
    en: 'When a form has tabs, every section sits on one: "{section}" does not',
  },
  layout_condition_invalid: {
    'zh-CN': '字段 "{field}" 的条件不是有效的 JSON Schema：{detail}',
    en: 'The condition of field "{field}" is not a valid JSON Schema: {detail}',
  },
  metadata_conflict: {
    'zh-CN': '您编辑期间（基于版本 {basedOn}）有人修改了同一份设置，当前为版本 {current}（{actor}）：请查看对方的修改后再保存',
    en: 'Someone changed the same settings while you were editing (you started from version {basedOn}; it is now version {current}, by {actor}): review their change, then save again',
  },
  metadata_conflict_document: {
    'zh-CN': '{kind} "{name}" 已在版本 {version} 被修改（{actor}）',
    en: '{kind} "{name}" was changed in version {version} (by {actor})',
  },
  column_immutable: {
    'zh-CN': '字段 "{field}" 的列名已是 "{column}"，不能修改',
    en: 'Field "{field}" is stored in column "{column}"; its column cannot change',
  },
  type_change_unsupported: {
    'zh-CN': '字段 "{field}" 不能从 {from} 类型改为 {to} 类型',
    en: 'Field "{field}" cannot change from type {from} to {to}',
  },
  lookup_target_change: {
    'zh-CN': '查找字段 "{field}" 不能改为指向其他实体（{from} → {to}）；请新建字段',
    en: 'Lookup field "{field}" cannot point to another entity ({from} → {to}); add a new field instead',
  },
  lines_entity_change: {
    'zh-CN': '实体 "{entity}" 已有数据，不能改为或不再作为明细行实体',
    en: 'Entity "{entity}" already exists; it cannot become, or stop being, a line-item entity',
  },
  version_unknown: { 'zh-CN': '元数据版本 {version} 不存在', en: 'Metadata version {version} does not exist' },
  purge_target_unknown: {
    'zh-CN': '只能清除已归档的字段或实体："{target}" 未归档或不存在',
    en: 'Only an archived field or entity can be purged: "{target}" is not archived or does not exist',
  },
  purge_referenced: {
    'zh-CN': '实体 "{entity}" 仍被 {by} 引用，不能清除',
    en: 'Entity "{entity}" is still referenced by {by} and cannot be purged',
  },

  // Data checks (each reported by the plan operation that needs it)
  check_required_nulls: {
    'zh-CN': '{count} 条 {entity} 记录的 "{field}" 为空：设为必填前请先补齐',
    en: '{count} {entity} record(s) have no "{field}": fill them before making it required',
  },
  check_rows_without_default: {
    'zh-CN': '{entity} 已有 {count} 条记录：新增必填字段 "{field}" 需要默认值',
    en: '{entity} already has {count} record(s): a new required field "{field}" needs a default',
  },
  check_duplicates: {
    'zh-CN': '"{field}" 有 {count} 个重复值：设为唯一前请先处理',
    en: '"{field}" has {count} duplicated value(s): resolve them before making it unique',
  },
  check_conversion: {
    'zh-CN': '{count} 条记录的 "{field}" 无法转换为 {to}',
    en: '{count} record(s) have a "{field}" that cannot be converted to {to}',
  },
  check_required_when: {
    'zh-CN': '{count} 条记录满足「{field}」的必填条件但此项为空，这些记录将无法再保存：先填写它们，才能设置这个条件',
    en: '{count} record(s) meet the condition making "{field}" required but have it empty, so they could not be saved again: fill them in before setting the condition',
  },
  check_too_long: {
    'zh-CN': '{count} 条记录的 "{field}" 超过 {max} 个字符',
    en: '{count} record(s) have a "{field}" longer than {max} characters',
  },
  check_option_in_use: {
    'zh-CN': '{count} 条记录仍使用被删除的选项 {values}（字段 "{field}"）',
    en: '{count} record(s) still use the removed option(s) {values} of "{field}"',
  },
  check_precision: {
    'zh-CN': '{count} 条记录的 "{field}" 在保留 {scale} 位小数时会丢失精度',
    en: '{count} record(s) would lose digits of "{field}" at {scale} decimal place(s)',
  },
  check_parent_rows: {
    'zh-CN': '{entity} 已有 {count} 条记录，不能成为明细行实体',
    en: '{entity} already has {count} record(s) and cannot become a line-item entity',
  },
} as const satisfies Record<string, LocalizedText>;
