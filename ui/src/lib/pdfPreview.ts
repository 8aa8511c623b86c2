// Renders the first pages of a PDF into canvases with pdf.js. Loaded lazily: only the
// Export step imports this module, so pdf.js stays out of the main bundle. The worker
// is bundled with the app (no CDN), and pdf.js runs without eval and without font
// loading, so it works under the app's content security policy.

export interface RenderedPage {
  pageNumber: number;
  width: number;
  height: number;
}

export async function renderFirstPages(
  data: Uint8Array,
  container: HTMLElement,
  opts: { pages?: number; width?: number; label?: (n: number) => string } = {},
): Promise<{ total: number; rendered: RenderedPage[] }> {
  const pdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs');
  const worker = await import('pdfjs-dist/legacy/build/pdf.worker.min.mjs?url');
  pdfjs.GlobalWorkerOptions.workerSrc = worker.default;

  const task = pdfjs.getDocument({
    // pdf.js takes ownership of the buffer: give it a copy.
    data: data.slice(),
    isEvalSupported: false,
    disableFontFace: true,
    useSystemFonts: false,
    useWasm: false,
    enableXfa: false,
    stopAtErrors: false,
  });
  const doc = await task.promise;
  try {
    const wanted = Math.min(opts.pages ?? 2, doc.numPages);
    const width = opts.width ?? 520;
    const rendered: RenderedPage[] = [];
    container.replaceChildren();
    for (let n = 1; n <= wanted; n++) {
      const page = await doc.getPage(n);
      const base = page.getViewport({ scale: 1 });
      const scale = width / base.width;
      const ratio = window.devicePixelRatio || 1;
      const viewport = page.getViewport({ scale: scale * ratio });
      const canvas = document.createElement('canvas');
      canvas.width = Math.floor(viewport.width);
      canvas.height = Math.floor(viewport.height);
      canvas.style.width = `${Math.floor(viewport.width / ratio)}px`;
      canvas.style.height = `${Math.floor(viewport.height / ratio)}px`;
      canvas.setAttribute('role', 'img');
      canvas.setAttribute('aria-label', opts.label ? opts.label(n) : `Page ${n}`);
      canvas.dataset.testid = 'preview-page';
      container.appendChild(canvas);
      await page.render({ canvas, viewport }).promise;
      rendered.push({ pageNumber: n, width: canvas.width, height: canvas.height });
      page.cleanup();
    }
    return { total: doc.numPages, rendered };
  } finally {
    await doc.destroy();
  }
}
