import type { LocalizedText } from '../i18n/text.ts';

/** Messages about the database itself, by code, in zh-CN and en. */
export const databaseMessages = {
  database_in_use: {
    'zh-CN': '内嵌数据库 {dir} 正被另一个 Forma 进程（PID {pid}）使用：请先停止它，或改用 DATABASE_URL 连接 PostgreSQL 服务器（若该进程已不存在，可删除 {lock}）',
    en: 'The embedded database {dir} is in use by another Forma process (PID {pid}): stop it first, or use a PostgreSQL server through DATABASE_URL (if that process is gone, delete {lock})',
  },
} as const satisfies Record<string, LocalizedText>;
