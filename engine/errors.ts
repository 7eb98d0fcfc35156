import { fillText, type LocalizedText } from './i18n/text.ts';
import { messages, type MessageCode } from './i18n/messages.ts';

/**
 * One thing wrong with an input, precise enough to fix it: a stable `code`, the message in
 * zh-CN and en, the JSON Pointer of the bad place inside the input, and which input
 * (a file, or a metadata document as `kind:name`) when there are several.
 */
export interface Problem {
  code: MessageCode;
  message: LocalizedText;
  path: string;
  source?: string;
}

/** Builds a problem from the message catalogue. */
export function problem(
  code: MessageCode,
  path: string,
  params: Record<string, unknown> = {},
  source?: string,
): Problem {
  return { code, message: fillText(messages[code], params), path, ...(source ? { source } : {}) };
}

/**
 * The one error type the engine throws on bad input: a headline `code` and message plus every
 * problem found (validation reports all of them at once). Callers map `code` to an exit code or
 * an HTTP status; nothing has been changed when it is thrown.
 */
export class FormaError extends Error {
  readonly code: MessageCode;
  readonly text: LocalizedText;
  readonly problems: Problem[];

  constructor(code: MessageCode, params: Record<string, unknown> = {}, problems: Problem[] = []) {
    const text = fillText(messages[code], params);
    super(text.en);
    this.name = 'FormaError';
    this.code = code;
    this.text = text;
    this.problems = problems;
  }

  toJSON() {
    return { code: this.code, message: this.text, problems: this.problems };
  }
}

export function isFormaError(error: unknown): error is FormaError {
  return error instanceof FormaError;
}
