import type { LocalizedText } from '../i18n/text.ts';

/** Messages of batch print jobs (engine/print/jobs.ts), by code, in zh-CN and en. */
export const printJobMessages = {
  print_job_not_found: {
    'zh-CN': '没有这个打印任务：打印任务只有提交它的人能看到，一天后连同 PDF 一起删除',
    en: 'There is no such print job: only whoever asked for a print job sees it, and it is removed with its PDF after a day',
  },
  print_job_not_done: {
    'zh-CN': '打印任务还没有完成（{stateZh}），完成后才能取得 PDF',
    en: 'The print job is not done yet ({stateEn}): its PDF is there once it is',
  },
  print_job_interrupted: {
    'zh-CN': '打印任务被中断了 {attempts} 次（处理它的服务停止了），已放弃',
    en: 'The print job was interrupted {attempts} times (the process working on it stopped) and was given up',
  },
  print_job_limit: {
    'zh-CN': '你已有 {count} 个打印任务在排队或进行中：请等其中一个完成后再提交',
    en: 'You have {count} print jobs queued or running already: wait for one of them to finish',
  },
  print_job_failed: { 'zh-CN': '打印任务意外失败：{detail}', en: 'The print job failed unexpectedly: {detail}' },
} as const satisfies Record<string, LocalizedText>;
