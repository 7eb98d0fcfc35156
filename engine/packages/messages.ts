import type { LocalizedText } from '../i18n/text.ts';

/** Messages of installing metadata packages, by code, in zh-CN and en. */
export const packageMessages = {
  package_invalid: { 'zh-CN': '元数据包无效：{count} 个问题', en: 'Invalid metadata package: {count} problem(s)' },
  package_manifest_missing: {
    'zh-CN': '{dir} 中没有包清单（kind 为 "package" 的文档，通常是 forma-package.json）',
    en: 'No package manifest in {dir} (a document of kind "package", usually forma-package.json)',
  },
  package_manifest_many: { 'zh-CN': '{dir} 中有不止一个包清单', en: 'More than one package manifest in {dir}' },
  package_document_missing: {
    'zh-CN': '清单列出的文档 {file} 不存在',
    en: 'The manifest lists {file}, which is not there',
  },
  package_document_unlisted: {
    'zh-CN': '文档 {file} 不在清单的 documents 中',
    en: 'Document {file} is not listed in the manifest\'s documents',
  },
} as const satisfies Record<string, LocalizedText>;
