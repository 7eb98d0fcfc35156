import { useCallback, useEffect, useRef, useState } from 'react';
import { PAGES_HEADER, previewForm, type PreviewAnswer, type PreviewRequest } from './preview.ts';

/** How long the live preview waits for the admin to stop typing before it asks the server. */
const PREVIEW_DELAY_MS = 400;

/** Where the previews are made (app/routes/admin.print-preview.ts). */
export const PREVIEW_ACTION = '/admin/print-preview';

/** A PDF preview: its object URL and page count, or why there is none; `key` is the request it answers. */
export type PdfPreview =
  | { state: 'loading'; key: string }
  | { state: 'ready'; key: string; url: string; pages: number; bytes: number }
  | { state: 'refused'; key: string; answer: PreviewAnswer }
  | { state: 'failed'; key: string };

/** The live preview of a draft (see `usePreview`). */
export interface Preview {
  /** The last answer that had a page: it stays on screen while a newer draft cannot be rendered. */
  shown: PreviewAnswer | undefined;
  /** The answer to the latest request that came back (its problems are the draft's). */
  latest: PreviewAnswer | undefined;
  /** The request as it is now (its JSON), which a PDF's `key` may or may not be. */
  requestKey: string;
  /** Whether `latest` answers the request as it is now. */
  current: boolean;
  /** A request is on its way, or waiting for the admin to stop typing. */
  loading: boolean;
  /** The last request could not be made (network, server error). */
  failed: boolean;
  pdf: PdfPreview | undefined;
  /** Renders the request as it is now to PDF through the server's renderer. */
  askPdf(): void;
}

/**
 * The designer's previews: the HTML preview asked for as the admin types (debounced; an answer
 * overtaken by a newer request is dropped), starting from the loader's answer to the stored
 * template; the PDF one on demand. Posts with the session's CSRF token through `fetch`, not a
 * React Router fetcher, so no loader of the page runs again for a preview.
 *
 * @example const preview = usePreview(request, csrfToken, { answer: data.preview, request: data.previewRequest });
 */
export function usePreview(request: PreviewRequest, csrfToken: string, initial: { answer: PreviewAnswer; key: string }): Preview {
  const key = JSON.stringify(request);
  const [latest, setLatest] = useState<{ key: string; answer: PreviewAnswer }>({ key: initial.key, answer: initial.answer });
  const [shown, setShown] = useState<PreviewAnswer | undefined>(initial.answer.html ? initial.answer : undefined);
  const [failedKey, setFailedKey] = useState<string | undefined>(undefined);
  const [pdf, setPdf] = useState<PdfPreview | undefined>(undefined);
  const latestRequest = useRef(request);
  latestRequest.current = request;

  useEffect(() => {
    if (key === latest.key) return;
    const abort = new AbortController();
    const timer = setTimeout(async () => {
      try {
        const response = await fetch(PREVIEW_ACTION, { method: 'POST', body: previewForm(request, csrfToken), signal: abort.signal });
        if (!response.ok) throw new Error(String(response.status));
        const answer = (await response.json()) as PreviewAnswer;
        setLatest({ key, answer });
        if (answer.html) setShown(answer);
      } catch {
        if (!abort.signal.aborted) setFailedKey(key);
      }
    }, PREVIEW_DELAY_MS);
    return () => {
      clearTimeout(timer);
      abort.abort();
    };
  }, [key]);

  // Object URLs of PDFs are freed when replaced and when the designer goes.
  const pdfUrl = pdf?.state === 'ready' ? pdf.url : undefined;
  useEffect(() => () => {
    if (pdfUrl) URL.revokeObjectURL(pdfUrl);
  }, [pdfUrl]);

  const askPdf = useCallback(async () => {
    const asked = latestRequest.current;
    const askedKey = JSON.stringify(asked);
    setPdf({ state: 'loading', key: askedKey });
    try {
      const response = await fetch(`${PREVIEW_ACTION}?format=pdf`, { method: 'POST', body: previewForm(asked, csrfToken) });
      if (response.ok && response.headers.get('Content-Type')?.startsWith('application/pdf')) {
        const blob = await response.blob();
        setPdf({ state: 'ready', key: askedKey, url: URL.createObjectURL(blob), pages: Number(response.headers.get(PAGES_HEADER)), bytes: blob.size });
      } else if (response.status === 422) {
        setPdf({ state: 'refused', key: askedKey, answer: (await response.json()) as PreviewAnswer });
      } else throw new Error(String(response.status));
    } catch {
      setPdf({ state: 'failed', key: askedKey });
    }
  }, [csrfToken]);

  const failed = failedKey === key;
  return {
    shown, latest: latest.answer, requestKey: key, current: latest.key === key, loading: latest.key !== key && !failed, failed, pdf, askPdf,
  };
}
