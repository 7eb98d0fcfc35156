import type { LocalizedText } from '../../engine/i18n/text.ts';

/**
 * Messages of the HTTP layer itself — methods, content types, sizes, query parameters — by
 * code, in zh-CN and en. The engine knows nothing of HTTP, so these live here; everything the
 * engine refuses keeps its own code and message.
 */
export const apiMessages = {
  method_not_allowed: {
    'zh-CN': '此地址不支持 {method} 请求，可用：{allowed}',
    en: 'Method {method} is not allowed here; allowed: {allowed}',
  },
  media_type_unsupported: {
    'zh-CN': '请求体须为 JSON（Content-Type: application/json），收到的是 {type}',
    en: 'The request body must be JSON (Content-Type: application/json), got {type}',
  },
  payload_too_large: {
    'zh-CN': '请求体过大：最多 {max} 字节',
    en: 'The request body is too large: at most {max} bytes',
  },
  parameter_unknown: {
    'zh-CN': '未知的查询参数 "{name}"，可用参数：{known}',
    en: 'Unknown query parameter "{name}"; known parameters: {known}',
  },
  parameter_invalid: {
    'zh-CN': '查询参数 "{name}" 无效：应为 {expectedZh}',
    en: 'Query parameter "{name}" is invalid: expected {expectedEn}',
  },
  body_member_invalid: {
    'zh-CN': '请求内容中 "{member}" 无效：应为 {expectedZh}',
    en: '"{member}" of the request body is invalid: expected {expectedEn}',
  },
  api_route_unknown: { 'zh-CN': '没有这个 API 地址：{path}', en: 'No API endpoint at {path}' },
  csrf_invalid: {
    'zh-CN': 'CSRF 令牌缺失或不正确：用登录会话（Cookie）修改数据时，须在请求头 X-CSRF-Token 中带上登录时得到的令牌',
    en: 'Missing or wrong CSRF token: a change made with a session cookie must send the token given at sign-in in the X-CSRF-Token header',
  },
  internal_error: {
    'zh-CN': '服务器内部错误，请稍后重试；如问题持续，请联系管理员',
    en: 'Something went wrong on the server; please try again later, and tell your administrator if it persists',
  },
} as const satisfies Record<string, LocalizedText>;

export type ApiMessageCode = keyof typeof apiMessages;
