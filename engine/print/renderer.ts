import { launch, type Browser, type HTTPRequest, type Page, type PDFOptions } from 'puppeteer-core';
import { FormaError, isFormaError } from '../errors.ts';
import { mergePdfs, type BatchPart, type BatchProgress } from './batch.ts';
import { CHROMIUM_PATH, CJK_FONT, checkPrintSetup } from './fonts.ts';

/** Options of a `PdfRenderer`. */
export interface PdfRendererOptions {
  /** Default /usr/bin/chromium (Debian `chromium`). */
  executablePath?: string;
  /** Pages kept warm, and so renders at the same time; the rest wait their turn. Default 2 (one per core here). */
  poolSize?: number;
  /** Longest a render may take once it has a page (the wait for one not counted). Default 30 s. */
  timeoutMs?: number;
}

/**
 * Flags of the Debian Chromium (docs: ../shared/STACK.md), plus one that makes every host name
 * and address unresolvable: request interception already stops every request of a page, but
 * Chromium opens some connections outside it (`<link rel=prefetch>`, `preconnect`) — with this
 * flag nothing can leave the machine, whatever a template contains.
 */
export const CHROMIUM_ARGS: readonly string[] = [
  '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
  '--disable-sync', '--no-first-run', '--host-resolver-rules=MAP * ~NOTFOUND',
];

/**
 * Turns HTML into PDF with ONE warm headless Chromium (puppeteer-core) and a small pool of pages
 * that are reused: `poolSize` renders run at a time, the others queue. Every page is inert:
 * JavaScript is disabled and every request is stopped except `data:` URLs (images and fonts
 * inlined by templates) — a navigation (`<meta http-equiv=refresh>`, a frame) gets an empty 204
 * answer so the document stays, anything else is aborted. If Chromium crashes or disconnects it
 * is launched again and the render tried once more. A render taking longer than the timeout
 * fails with `print_timeout` and its page is replaced.
 *
 * Chromium is launched on the first render, after `checkPrintSetup` (`print_setup_missing` names
 * the apt-get command when Chromium or the Chinese font is not installed). Make one per process
 * and `close()` it at shutdown.
 *
 * @example
 *   const renderer = new PdfRenderer();
 *   const pdf = await renderer.render(printDocument(body, setup), pdfOptions(setup));
 */
export class PdfRenderer {
  readonly poolSize: number;
  readonly timeoutMs: number;
  readonly #executablePath: string;
  #browser: Promise<Browser> | undefined;
  /** Warm pages of the current browser, not in use. */
  #idle: Page[] = [];
  /** Renders holding one of the `poolSize` places. */
  #active = 0;
  /** Renders waiting for a place, first come first served. */
  #queue: Array<() => void> = [];
  #closed = false;

  constructor(options: PdfRendererOptions = {}) {
    this.poolSize = Math.max(1, options.poolSize ?? 2);
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.#executablePath = options.executablePath ?? CHROMIUM_PATH;
  }

  /**
   * Renders one complete HTML document (see `printDocument`) to PDF with puppeteer `page.pdf()`
   * options (see `pdfOptions`). `print_timeout` after `timeoutMs`, `print_browser_failed` when
   * Chromium fails twice, `print_renderer_closed` after `close()`.
   */
  async render(html: string, pdf: PDFOptions = {}, { timeoutMs = this.timeoutMs }: { timeoutMs?: number } = {}): Promise<Buffer> {
    await this.#acquire();
    try {
      try {
        return await this.#renderOnce(html, pdf, timeoutMs);
      } catch (error) {
        if (isFormaError(error)) throw error;
        // Chromium crashed, disconnected or lost the page: a dead browser has been forgotten
        // (see #launch), so this attempt gets a fresh one.
        return await this.#renderOnce(html, pdf, timeoutMs);
      }
    } catch (error) {
      if (isFormaError(error)) throw error;
      throw new FormaError('print_browser_failed', { detail: error instanceof Error ? error.message : String(error) });
    } finally {
      this.#release();
    }
  }

  /**
   * Renders the parts of a large print job (1,000 quotes, 10,000 labels: see `documentParts` and
   * `labelParts` in engine/print/batch.ts) on the pool's pages side by side and joins their PDFs,
   * in order, into one. `onProgress(done, total)` is called as each part finishes, counting the
   * parts' `count`s. A failing part stops the batch (the parts under way finish first).
   */
  async renderBatch(parts: readonly BatchPart[], { onProgress }: { onProgress?: BatchProgress } = {}): Promise<Buffer> {
    if (parts.length === 0) throw new TypeError('renderBatch needs at least one part');
    const total = parts.reduce((sum, part) => sum + part.count, 0);
    const pdfs: Buffer[] = [];
    let next = 0;
    let done = 0;
    let failed = false;
    const worker = async () => {
      while (!failed && next < parts.length) {
        const index = next++;
        const part = parts[index]!;
        try {
          pdfs[index] = await this.render(part.html, part.pdf);
        } catch (error) {
          failed = true;
          throw error;
        }
        done += part.count;
        onProgress?.(done, total);
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.poolSize, parts.length) }, worker));
    return mergePdfs(pdfs);
  }

  /** Renders under way and renders waiting for a page (for monitoring). */
  get load(): { rendering: number; waiting: number } {
    return { rendering: this.#active, waiting: this.#queue.length };
  }

  /** The process id of the running Chromium, if one runs (for monitoring; the tests kill it). */
  async processId(): Promise<number | undefined> {
    const browser = await this.#browser?.catch(() => undefined);
    return browser?.process()?.pid;
  }

  /** Stops Chromium. Renders still waiting fail with `print_renderer_closed`; later ones too. */
  async close(): Promise<void> {
    this.#closed = true;
    const browser = this.#browser;
    this.#browser = undefined;
    this.#idle = [];
    // Each waiting render is handed a place, which it gives back at once (#acquire).
    for (const wake of this.#queue.splice(0)) {
      this.#active++;
      wake();
    }
    await (await browser?.catch(() => undefined))?.close().catch(() => undefined);
  }

  async #acquire(): Promise<void> {
    if (this.#active < this.poolSize) this.#active++;
    // A finishing render hands its place straight to the first in the queue (#release), or close() does.
    else await new Promise<void>((resolve) => this.#queue.push(resolve));
    if (this.#closed) {
      this.#release();
      throw new FormaError('print_renderer_closed');
    }
  }

  #release(): void {
    const next = this.#queue.shift();
    if (next) next();
    else this.#active--;
  }

  async #renderOnce(html: string, pdf: PDFOptions, timeoutMs: number): Promise<Buffer> {
    const page = await this.#page();
    let timer: NodeJS.Timeout | undefined;
    let finished = false;
    try {
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new FormaError('print_timeout', { seconds: timeoutMs / 1000 })), timeoutMs);
      });
      // Our own deadline covers both steps: puppeteer's (30 s each by default) are off.
      const render = (async () => {
        await page.setContent(html, { waitUntil: 'load', timeout: 0 });
        return page.pdf({ ...pdf, timeout: 0 });
      })();
      render.catch(() => undefined); // after a timeout the page is closed under it
      const bytes = await Promise.race([render, timeout]);
      finished = true;
      return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    } finally {
      clearTimeout(timer);
      if (finished && !page.isClosed() && page.browser().connected) this.#idle.push(page);
      else await page.close().catch(() => undefined);
    }
  }

  /** A warm page of the current browser, or a new inert one. */
  async #page(): Promise<Page> {
    const browser = await this.#launch();
    const idle = this.#idle.pop();
    if (idle && !idle.isClosed()) return idle;
    const page = await browser.newPage();
    await page.setJavaScriptEnabled(false);
    await page.setRequestInterception(true);
    page.on('request', allowDataOnly);
    return page;
  }

  /** The running browser, launched when there is none; forgotten as soon as it disconnects or crashes. */
  #launch(): Promise<Browser> {
    if (this.#closed) return Promise.reject(new FormaError('print_renderer_closed'));
    if (this.#browser) return this.#browser;
    checkPrintSetup([{ package: 'chromium', file: this.#executablePath }, { package: CJK_FONT.package, file: CJK_FONT.file }]);
    const launched = launch({ executablePath: this.#executablePath, headless: true, pipe: true, args: [...CHROMIUM_ARGS] });
    this.#browser = launched;
    const forget = () => {
      if (this.#browser !== launched) return;
      this.#browser = undefined;
      this.#idle = [];
    };
    launched.then((browser) => browser.on('disconnected', forget), forget);
    return launched;
  }
}

/** The request handler of every page: data: URLs and the document itself pass, navigations get an empty answer, the rest is aborted. */
function allowDataOnly(request: HTTPRequest): void {
  const url = request.url();
  const handled = url.startsWith('data:') || url === 'about:blank'
    ? request.continue()
    // An aborted navigation would replace the document with an error page; 204 leaves it as it is.
    : request.isNavigationRequest() ? request.respond({ status: 204 }) : request.abort();
  handled.catch(() => undefined); // the page may be closing
}
