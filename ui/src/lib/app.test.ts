import { describe, expect, it, vi } from 'vitest';
import { AppState, type Backend } from './app.svelte';
import { chainLine, detailText, kindLabel, shortHash } from './custody';
import { pageCount, pageQuery, rangeLabel, statusReason } from './gallery';
import { doneSteps } from './steps';

function backend(over: Record<string, unknown> = {}): Backend {
  return {
    caseInfo: vi.fn(async () => ({ path: '/c.exhibit', title: 'Acme', captures: 2, collector: null })),
    recentCases: vi.fn(async () => []),
    getSettings: vi.fn(async () => ({ capture_mode: 'http', concurrency: 2 })),
    saveSettings: vi.fn(async () => null),
    loadDraft: vi.fn(async () => null),
    saveDraft: vi.fn(async () => null),
    checkDraft: vi.fn(async () => ({ venue: 'dmca', issues: [], batches: [] })),
    attachments: vi.fn(async () => []),
    startCapture: vi.fn(async () => ({ batch_id: 5 })),
    cancelCapture: vi.fn(async () => null),
    closeCase: vi.fn(async () => null),
    startExport: vi.fn(async () => ({ job_id: 1 })),
    cancelExport: vi.fn(async () => null),
    verifyBundle: vi.fn(async () => ({ intact: true, problems: [] })),
    ...over,
  } as unknown as Backend;
}

describe('AppState', () => {
  it('picks up a case left open, its draft and settings', async () => {
    const app = new AppState(backend());
    await app.init();
    expect(app.caseInfo?.title).toBe('Acme');
    expect(app.step).toBe('rights');
    expect(app.settings.capture_mode).toBe('http');
    expect(app.draft.draft?.rights_holder).toEqual({ name: '' });
    expect(app.done.has('case')).toBe(true);
    expect(app.done.has('capture')).toBe(true);
  });

  it('runs a capture batch from start to done, and cancels the rest', async () => {
    const api = backend();
    const app = new AppState(api);
    await app.init();
    const err = await app.startCapture(['https://a.example/1', 'https://a.example/2'], 'browser');
    expect(err).toBeNull();
    expect(api.startCapture).toHaveBeenCalledWith(['https://a.example/1', 'https://a.example/2'], 'browser');
    app.captureProgress({ batch_id: 5, index: 0, url: 'https://a.example/1', state: 'capturing' });
    app.captureProgress({ batch_id: 5, index: 0, url: 'https://a.example/1', state: 'blocked', capture_id: 3, reason: 'Login wall.' });
    await app.cancelCapture();
    expect(api.cancelCapture).toHaveBeenCalledWith(5);
    app.captureDone({ batch_id: 5, summary: { total: 2, ok: 0, blocked: 1, removed: 0, failed: 0, unsaved: 0, cancelled: 1, elapsed_ms: 9 }, cancelled: true });
    expect(app.queue.rows.map((r) => r.state)).toEqual(['blocked', 'cancelled']);
    expect(api.caseInfo).toHaveBeenCalledTimes(2); // refreshed after the batch
  });

  it('saves the time-stamp authorities, and keeps the old ones when the backend refuses', async () => {
    const api = backend();
    const app = new AppState(api);
    await app.init();
    expect(await app.saveTrustedTime(['http://tsa.example/'], ['/roots/tsa.pem'])).toBeNull();
    expect(api.saveSettings).toHaveBeenCalledWith({
      capture_mode: 'http',
      concurrency: 2,
      tsa_urls: ['http://tsa.example/'],
      tsa_roots: ['/roots/tsa.pem'],
    });
    expect(app.settings.tsa_urls).toEqual(['http://tsa.example/']);

    const refusing = new AppState(backend({
      saveSettings: vi.fn(async () => {
        throw { code: 'bad_input', message: "'ftp://x' is not a time-stamp authority URL; give an http:// or https:// address." };
      }),
    }));
    await refusing.init();
    const err = await refusing.saveTrustedTime(['ftp://x'], []);
    expect(err?.code).toBe('bad_input');
    expect(refusing.settings.tsa_urls ?? []).toEqual([]);
  });

  it('reports a refused start (busy) and marks the rows failed', async () => {
    const app = new AppState(backend({
      startCapture: vi.fn(async () => {
        throw { code: 'busy', message: 'A batch is already running.' };
      }),
    }));
    await app.init();
    const err = await app.startCapture(['https://a.example/1'], 'http');
    expect(err).toEqual({ code: 'busy', message: 'A batch is already running.' });
    expect(app.queue.rows[0]).toMatchObject({ state: 'failed', reason: 'A batch is already running.' });
  });

  it('exports, shows progress and the report, and treats a cancel as no error', async () => {
    const api = backend();
    const app = new AppState(api);
    await app.init();
    await app.startExport('/out', 'ACME-');
    expect(vi.mocked(api.startExport).mock.calls[0][1]).toBe('/out');
    expect(vi.mocked(api.startExport).mock.calls[0][2]).toBe('ACME-');
    app.exportProgress({ job_id: 1, step: 'Laying out the packet', done: 2, total: 5 });
    expect(app.exp).toMatchObject({ running: true, step: 'Laying out the packet', done: 2, total: 5 });
    app.exportProgress({ job_id: 2, step: 'x', done: 5, total: 5 });
    expect(app.exp.step).toBe('Laying out the packet');
    app.exportDone({ job_id: 1, error: { code: 'cancelled', message: 'Cancelled.' } });
    expect(app.exp).toMatchObject({ running: false, cancelled: true, error: null, report: null });

    await app.startExport('/out', '');
    expect(vi.mocked(api.startExport).mock.calls[1][2]).toBeUndefined();
    const report = { packet: '/out/packet.pdf', bundle: '/out/bundle.zip', pages: 12, bates_first: 'ACME-000001', bates_last: 'ACME-000012', manifest_sha256: 'a', bundle_sha256: 'b', warnings: [], filing_sheet: null, url_lists: [], uploads: [], listings: 3, batches: 1, defendants: 0, schedule_a_csv: null, joinder_report: null, test_buy_report: null };
    app.exportDone({ job_id: 1, report });
    expect(app.exp.report).toEqual(report);
    expect(app.done.has('export')).toBe(true);
    await app.verifyExported();
    expect(api.verifyBundle).toHaveBeenCalledWith('/out/bundle.zip');
    expect(app.exp.verify?.intact).toBe(true);
  });

  it('recaptures what was chosen, as the CLI flags choose it, and keeps the choice', async () => {
    const api = backend({
      startRecapture: vi.fn(async () => ({ job_id: 7 })),
    });
    const app = new AppState(api);
    await app.init();
    expect(await app.startRecapture(2, { filing: 4, mode: 'http' })).toBeNull();
    expect(api.startRecapture).toHaveBeenCalledWith({ filing: 4, mode: 'http' });
    expect(app.recap).toMatchObject({ running: true, jobId: 7, total: 2, request: { filing: 4, mode: 'http' } });
    // One at a time: a second start while it runs asks nothing of the backend.
    expect(await app.startRecapture(5, { all: true })).toBeNull();
    expect(api.startRecapture).toHaveBeenCalledTimes(1);
    app.recaptureDone({
      job_id: 7,
      summary: { total: 2, live: 2, removed: 0, blocked: 0, failed: 0, live_though_said_removed: 0, cancelled: 0, elapsed_ms: 5 },
      results: [],
      cancelled: false,
    });
    expect(app.recap.running).toBe(false);
    expect(app.campaignVersion).toBe(1);
    await app.startRecapture(3);
    expect(api.startRecapture).toHaveBeenLastCalledWith({});
  });

  it('lock saves the draft, closes the case and forgets it', async () => {
    const api = backend();
    const app = new AppState(api);
    await app.init();
    app.draft.set('rights_holder.name', 'Jane');
    await app.lock();
    expect(api.saveDraft).toHaveBeenCalled();
    expect(api.closeCase).toHaveBeenCalled();
    expect(app.caseInfo).toBeNull();
    expect(app.draft.draft).toBeNull();
    expect(app.step).toBe('case');
  });
});

describe('steps done', () => {
  it('follows the workflow', () => {
    const caseInfo = { path: '/c', title: 't', captures: 0, collector: null };
    expect([...doneSteps({ caseInfo: null, draft: null, check: null, exported: null })]).toEqual([]);
    const d = { venue: 'dmca' as const, rights_holder: { name: 'J' }, right: [{ id: 'C-1', kind: 'copyright' as const }], listing: [{ capture: 1 }] };
    const done = doneSteps({ caseInfo, draft: d, check: { venue: 'dmca', issues: [{ severity: 'warning', field: 'x', message: 'm' }], batches: [1], schedule_a: null }, exported: null });
    expect([...done].sort()).toEqual(['case', 'complaint', 'review', 'rights']);
  });
});

describe('custody and gallery helpers', () => {
  it('says the chain is intact or names the first break', () => {
    expect(chainLine({ intact: true, events: new Array(312).fill(null), problems: [] })).toBe('Chain intact (312 events)');
    expect(chainLine({ intact: false, events: [], problems: ['Event 7 does not match its hash.', 'later'] })).toBe(
      'Chain broken: Event 7 does not match its hash.',
    );
  });
  it('shows detail JSON as a line of text', () => {
    expect(detailText('{"capture_id":3,"url":"https://a.example","ok":true}')).toBe('capture_id: 3 · url: https://a.example · ok: true');
    expect(detailText('not json')).toBe('not json');
    expect(detailText('"x"'.padEnd(10, ' '))).toBe('x');
    expect([...detailText(JSON.stringify({ t: 'x'.repeat(500) }))].length).toBe(240);
    expect(kindLabel('capture.taken')).toBe('Listing captured');
    expect(kindLabel('new.kind')).toBe('new.kind');
    expect(shortHash('a'.repeat(64))).toBe('aaaaaaaaaaaa…');
  });
  it('pages the gallery', () => {
    expect(pageQuery({ status: 'blocked', marketplace: '', linked: 'no' }, 2)).toEqual({ offset: 120, limit: 60, status: 'blocked', linked: false });
    expect(pageQuery({ status: '', marketplace: 'taobao', linked: '' }, 0)).toEqual({ offset: 0, limit: 60, marketplace: 'taobao' });
    expect(pageCount(10_000)).toBe(167);
    expect(pageCount(0)).toBe(1);
    expect(rangeLabel(1, 60, 10_000)).toBe('Captures 61–120 of 10,000');
    expect(statusReason({ status: 'removed', error: null, page_kind: 'removed', http_status: 404 })).toBe('The listing was gone (HTTP 404).');
    expect(statusReason({ status: 'ok', error: null, page_kind: 'listing', http_status: 200 })).toBeNull();
  });
});
