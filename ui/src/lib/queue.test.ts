import { describe, expect, it } from 'vitest';
import {
  applyDone,
  applyProgress,
  attachBatch,
  beginBatch,
  beginRetry,
  canRetry,
  emptyQueue,
  isRunning,
  mergeUrls,
  parseUrlList,
  progress,
  requestCancel,
  startFailed,
  type QueueState,
} from './queue';
import type { BatchSummary, CaptureProgressEvent } from './types';

const URLS = ['https://a.example/1', 'https://b.example/2', 'https://c.example/3'];
const summary = (o: Partial<BatchSummary> = {}): BatchSummary => ({
  total: 3, ok: 0, blocked: 0, removed: 0, failed: 0, unsaved: 0, cancelled: 0, elapsed_ms: 10, ...o,
});
const ev = (index: number, state: CaptureProgressEvent['state'], extra: Partial<CaptureProgressEvent> = {}): CaptureProgressEvent => ({
  batch_id: 7, index, url: URLS[index], state, ...extra,
});
const states = (q: QueueState) => q.rows.map((r) => r.state);

function started(): QueueState {
  return attachBatch(beginBatch(emptyQueue(), URLS), 7);
}

describe('capture queue', () => {
  it('starts with every URL queued and running', () => {
    const q = started();
    expect(states(q)).toEqual(['queued', 'queued', 'queued']);
    expect(isRunning(q)).toBe(true);
  });

  it('moves queued → capturing → ok / blocked / failed with ids, titles and reasons', () => {
    let q = started();
    q = applyProgress(q, ev(0, 'capturing'));
    expect(states(q)).toEqual(['capturing', 'queued', 'queued']);
    q = applyProgress(q, ev(0, 'ok', { capture_id: 11, title: 'ACME lantern' }));
    q = applyProgress(q, ev(1, 'capturing'));
    q = applyProgress(q, ev(1, 'blocked', { capture_id: 12, reason: 'The page is a login wall.' }));
    q = applyProgress(q, ev(2, 'failed', { reason: 'Connection refused.' }));
    expect(states(q)).toEqual(['ok', 'blocked', 'failed']);
    expect(q.rows[0]).toMatchObject({ captureId: 11, title: 'ACME lantern' });
    expect(q.rows[1].reason).toBe('The page is a login wall.');
    expect(progress(q)).toMatchObject({ done: 3, total: 3 });
    q = applyDone(q, { batch_id: 7, summary: summary({ ok: 1, blocked: 1, failed: 1 }), cancelled: false });
    expect(isRunning(q)).toBe(false);
    expect(q.lastSummary?.ok).toBe(1);
  });

  it('ignores events of other batches and a late "capturing" after the result', () => {
    let q = started();
    q = applyProgress(q, { ...ev(0, 'ok'), batch_id: 99 });
    expect(states(q)).toEqual(['queued', 'queued', 'queued']);
    q = applyProgress(q, ev(0, 'ok', { capture_id: 1 }));
    q = applyProgress(q, ev(0, 'capturing'));
    expect(q.rows[0].state).toBe('ok');
  });

  it('keeps events that arrive before start_capture returns, and replays them', () => {
    let q = beginBatch(emptyQueue(), URLS);
    q = applyProgress(q, ev(0, 'capturing'));
    q = applyProgress(q, ev(0, 'ok', { capture_id: 3 }));
    expect(states(q)).toEqual(['queued', 'queued', 'queued']);
    q = attachBatch(q, 7);
    expect(states(q)).toEqual(['ok', 'queued', 'queued']);
  });

  it('cancel: the running capture finishes, every URL not started ends cancelled', () => {
    let q = started();
    q = applyProgress(q, ev(0, 'capturing'));
    q = requestCancel(q);
    expect(q.cancelRequested).toBe(true);
    q = applyProgress(q, ev(0, 'ok', { capture_id: 5 }));
    q = applyProgress(q, ev(1, 'cancelled'));
    q = applyDone(q, { batch_id: 7, summary: summary({ ok: 1, cancelled: 2 }), cancelled: true });
    expect(states(q)).toEqual(['ok', 'cancelled', 'cancelled']);
    expect(q.rows[2].reason).toMatch(/cancelled/);
    expect(isRunning(q)).toBe(false);
    expect(q.cancelRequested).toBe(false);
  });

  it('a row with no result when the batch ends is failed, not left hanging', () => {
    let q = started();
    q = applyProgress(q, ev(0, 'capturing'));
    q = applyDone(q, { batch_id: 7, summary: summary(), cancelled: false });
    expect(states(q)).toEqual(['failed', 'failed', 'failed']);
  });

  it('retries failed and cancelled rows in a new batch, leaving the others', () => {
    let q = started();
    q = applyProgress(q, ev(0, 'ok', { capture_id: 1 }));
    q = applyProgress(q, ev(1, 'failed', { reason: 'Timed out.' }));
    q = applyDone(q, { batch_id: 7, summary: summary(), cancelled: true });
    expect(states(q)).toEqual(['ok', 'failed', 'cancelled']);
    expect(canRetry(q, q.rows[0])).toBe(false);
    expect(canRetry(q, q.rows[1])).toBe(true);
    const keys = [q.rows[1].key, q.rows[2].key];
    q = attachBatch(beginRetry(q, keys), 8);
    expect(states(q)).toEqual(['ok', 'queued', 'queued']);
    expect(q.rows[1].reason).toBeUndefined();
    expect(canRetry(q, q.rows[1])).toBe(false); // not while running
    q = applyProgress(q, { batch_id: 8, index: 0, url: URLS[1], state: 'ok', capture_id: 9 });
    q = applyProgress(q, { batch_id: 8, index: 1, url: URLS[2], state: 'removed', capture_id: 10, reason: 'HTTP 404.' });
    q = applyDone(q, { batch_id: 8, summary: summary(), cancelled: false });
    expect(states(q)).toEqual(['ok', 'ok', 'removed']);
    expect(q.rows[1].captureId).toBe(9);
  });

  it('a refused start marks its rows failed with the reason', () => {
    const q = startFailed(beginBatch(emptyQueue(), URLS), 'A batch is already running.');
    expect(states(q)).toEqual(['failed', 'failed', 'failed']);
    expect(q.rows[0].reason).toBe('A batch is already running.');
    expect(isRunning(q)).toBe(false);
  });
});

describe('URL lists', () => {
  it('keeps http(s) URLs once, skips blanks and comments, reports the rest', () => {
    const l = parseUrlList('  https://a.example/1\n\n# note\nftp://x\nnot a url\nhttps://a.example/1\nhttp://b.example/?q=露营灯\r\n');
    expect(l.urls).toEqual(['https://a.example/1', 'http://b.example/?q=露营灯']);
    expect(l.invalid).toEqual(['ftp://x', 'not a url']);
    expect(l.duplicates).toBe(1);
  });

  it('merges imported URLs without repeats', () => {
    expect(mergeUrls('https://a.example/1\n', ['https://a.example/1', 'https://b.example/2', 'https://b.example/2'])).toBe(
      'https://a.example/1\nhttps://b.example/2',
    );
    expect(mergeUrls('', ['https://c.example'])).toBe('https://c.example');
  });
});

describe('a batch that cannot run at all', () => {
  it('marks every row failed with the reason and keeps the error for the alert', () => {
    let q = started();
    const error = { code: 'browser_not_found', message: 'No Chrome or Chromium was found.' };
    q = applyDone(q, { batch_id: 7, summary: summary(), cancelled: false, error });
    expect(states(q)).toEqual(['failed', 'failed', 'failed']);
    expect(q.rows[0].reason).toBe('No Chrome or Chromium was found.');
    expect(q.batchError).toEqual(error);
    q = beginRetry(q, [q.rows[0].key]);
    expect(q.batchError).toBeNull();
  });

  it('a row reported cancelled says why', () => {
    const q = applyProgress(started(), ev(2, 'cancelled'));
    expect(q.rows[2]).toMatchObject({ state: 'cancelled', reason: 'Not started: the batch was cancelled.' });
  });
});
