import type { LocalizedText } from '../i18n/text.ts';

/** Messages of reading and writing records, by code, in zh-CN and en. */
export const recordMessages = {
  record_invalid: { 'zh-CN': '记录无效：{count} 个字段有问题', en: 'Invalid record: {count} problem(s)' },
  record_not_found: { 'zh-CN': '{entity} 记录 {id} 不存在', en: 'No {entity} record {id}' },
  record_conflict: {
    'zh-CN': '记录已被他人修改：你编辑的是版本 {expected}，当前为版本 {current}（{actor}，{at}）',
    en: 'The record was changed meanwhile: you edited version {expected}, it is now version {current} ({actor}, {at})',
  },
  record_version_required: {
    'zh-CN': '修改记录需要提供其当前版本号 version',
    en: 'Changing a record needs the version it was read at',
  },
  record_deleted: { 'zh-CN': '{entity} 记录 {id} 在回收站中', en: '{entity} record {id} is in the recycle bin' },
  record_not_deleted: { 'zh-CN': '{entity} 记录 {id} 不在回收站中', en: '{entity} record {id} is not in the recycle bin' },
  field_read_only: { 'zh-CN': '字段 "{field}" 由系统填写，不能修改', en: 'Field "{field}" is filled in by Forma and cannot be written' },
  field_not_in_entity: { 'zh-CN': '{entity} 没有字段 "{field}"', en: '{entity} has no field "{field}"' },
  field_value_invalid: { 'zh-CN': '{labelZh}：{zh}', en: '{labelEn}: {en}' },
  number_taken: {
    'zh-CN': '{labelZh}：编号 "{value}" 已被使用',
    en: '{labelEn}: number "{value}" is already taken',
  },
  value_taken: {
    'zh-CN': '{labelZh}："{value}" 已存在，不能重复',
    en: '{labelEn}: "{value}" already exists and must be unique',
  },
  lookup_target_missing: {
    'zh-CN': '{field} 指向的记录 {id} 不存在',
    en: '{field} refers to record {id}, which does not exist',
  },
  record_referenced: {
    'zh-CN': '{entity} 记录 {id} 仍被其他记录引用，不能永久删除',
    en: '{entity} record {id} is still referenced by other records and cannot be purged',
  },
  line_entity_direct: {
    'zh-CN': '{entity} 是明细行，只能随其所属记录一起保存',
    en: '{entity} holds line items: they are saved with the record they belong to',
  },
  batch_invalid: { 'zh-CN': '批量操作无效：{count} 个问题', en: 'Invalid batch operation: {count} problem(s)' },
  batch_too_large: {
    'zh-CN': '一次最多处理 {max} 条记录（本次 {count} 条）',
    en: 'A batch handles at most {max} records ({count} selected)',
  },
  line_not_found: { 'zh-CN': '明细行 {id} 不属于这条记录', en: 'Line {id} does not belong to this record' },
} as const satisfies Record<string, LocalizedText>;
