/**
 * A `Content-Disposition` header naming a file in any language: the name as RFC 5987
 * `filename*=UTF-8''…` (what browsers use), after an ASCII fallback `filename="…"` for clients
 * that know only that. Characters no file system takes (`/ \ : * ? " < > |`, control
 * characters) become `_` in both.
 *
 * @example contentDisposition('attachment', '报价单-BJ202611-0042.pdf')
 *   // attachment; filename="___-BJ202611-0042.pdf"; filename*=UTF-8''%E6%8A%A5%E4%BB%B7%E5%8D%95-BJ202611-0042.pdf
 */
export function contentDisposition(kind: 'inline' | 'attachment', filename: string): string {
  // eslint-disable-next-line no-control-regex
  const safe = filename.replace(/[\u0000-\u001f\u007f/\\:*?"<>|]/g, '_');
  const ascii = safe.replace(/[^\x20-\x7E]/g, '_');
  const encoded = encodeURIComponent(safe).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `${kind}; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}
