// The capture queue as a state machine fed by `capture-progress` and `capture-done`
// events. Pure: every function returns a new state.
//
//   queued ──capturing──▶ capturing ──▶ ok | blocked | removed | failed
//      └──────────────── cancelled (not started when the batch was cancelled)
//
// A retried row goes back to queued under the new batch's id.

import type {
  AppError,
  BatchId,
  BatchSummary,
  CaptureDoneEvent,
  CaptureProgressEvent,
  ProgressState,
} from './types';

export type RowState = 'queued' | ProgressState;

export const FINAL_STATES: readonly RowState[] = ['ok', 'blocked', 'removed', 'failed', 'cancelled'];

export interface QueueRow {
  /** Stable key for the UI. */
  key: number;
  url: string;
  state: RowState;
  /** The batch this row is in now, and its index there. */
  batchId: BatchId | null;
  index: number;
  captureId?: number;
  title?: string;
  reason?: string;
}

export interface QueueState {
  rows: QueueRow[];
  /** Batches started and not yet done. */
  running: BatchId[];
  /** A start whose batch id has not come back yet; events for unknown batches wait here. */
  starting: number[] | null;
  buffered: (CaptureProgressEvent | CaptureDoneEvent)[];
  cancelRequested: boolean;
  lastSummary: BatchSummary | null;
  /** Why the last batch could not run at all, when it could not. */
  batchError: AppError | null;
  nextKey: number;
}

export function emptyQueue(): QueueState {
  return {
    rows: [],
    running: [],
    starting: null,
    buffered: [],
    cancelRequested: false,
    lastSummary: null,
    batchError: null,
    nextKey: 1,
  };
}

export function isFinal(s: RowState): boolean {
  return FINAL_STATES.includes(s);
}

/** A new batch of URLs replaces the finished rows; its rows wait for the batch id. */
export function beginBatch(q: QueueState, urls: string[]): QueueState {
  let key = q.nextKey;
  const rows: QueueRow[] = urls.map((url, index) => ({
    key: key++,
    url,
    state: 'queued',
    batchId: null,
    index,
  }));
  return {
    ...q,
    rows,
    starting: rows.map((r) => r.key),
    buffered: [],
    cancelRequested: false,
    lastSummary: null,
    batchError: null,
    nextKey: key,
  };
}

/** A retry: the rows go back to queued, waiting for the new batch's id. */
export function beginRetry(q: QueueState, keys: number[]): QueueState {
  const wanted = new Set(keys);
  let index = 0;
  const order: number[] = [];
  const rows = q.rows.map((r) => {
    if (!wanted.has(r.key)) return r;
    order.push(r.key);
    return { key: r.key, url: r.url, state: 'queued' as RowState, batchId: null, index: index++ };
  });
  return { ...q, rows, starting: order, buffered: [], cancelRequested: false, batchError: null };
}

/** The batch id came back from `start_capture`: bind the waiting rows and replay events. */
export function attachBatch(q: QueueState, batchId: BatchId): QueueState {
  const keys = new Set(q.starting ?? []);
  let next: QueueState = {
    ...q,
    rows: q.rows.map((r) => (keys.has(r.key) ? { ...r, batchId } : r)),
    running: [...q.running, batchId],
    starting: null,
  };
  const buffered = q.buffered;
  next = { ...next, buffered: [] };
  for (const ev of buffered) {
    if (ev.batch_id !== batchId) continue;
    next = 'summary' in ev ? applyDone(next, ev) : applyProgress(next, ev);
  }
  return next;
}

/** `start_capture` was refused: the rows it would have run are marked failed. */
export function startFailed(q: QueueState, reason: string): QueueState {
  const keys = new Set(q.starting ?? []);
  return {
    ...q,
    rows: q.rows.map((r) => (keys.has(r.key) ? { ...r, state: 'failed' as RowState, reason } : r)),
    starting: null,
    buffered: [],
  };
}

function knows(q: QueueState, batchId: BatchId): boolean {
  return q.running.includes(batchId) || q.rows.some((r) => r.batchId === batchId);
}

export function applyProgress(q: QueueState, ev: CaptureProgressEvent): QueueState {
  if (!knows(q, ev.batch_id)) {
    // Possibly ours, arriving before `start_capture` returned.
    return q.starting ? { ...q, buffered: [...q.buffered, ev] } : q;
  }
  let hit = false;
  const rows = q.rows.map((r) => {
    if (r.batchId !== ev.batch_id || r.index !== ev.index) return r;
    // A finished row never goes back (events may arrive out of order).
    if (isFinal(r.state) && ev.state === 'capturing') return r;
    hit = true;
    const next: QueueRow = { ...r, state: ev.state, url: ev.url || r.url };
    if (ev.capture_id !== undefined && ev.capture_id !== null) next.captureId = ev.capture_id;
    if (ev.title) next.title = ev.title;
    if (ev.reason) next.reason = ev.reason;
    else if (ev.state === 'cancelled') next.reason = 'Not started: the batch was cancelled.';
    else delete next.reason;
    return next;
  });
  return hit ? { ...q, rows } : q;
}

export function applyDone(q: QueueState, ev: CaptureDoneEvent): QueueState {
  if (!knows(q, ev.batch_id)) {
    return q.starting ? { ...q, buffered: [...q.buffered, ev] } : q;
  }
  const failure = ev.error ?? null;
  const rows = q.rows.map((r) => {
    if (r.batchId !== ev.batch_id || isFinal(r.state)) return r;
    if (failure) return { ...r, state: 'failed' as RowState, reason: failure.message };
    if (ev.cancelled && r.state === 'queued')
      return { ...r, state: 'cancelled' as RowState, reason: 'Not started: the batch was cancelled.' };
    return {
      ...r,
      state: 'failed' as RowState,
      reason: 'The batch ended without a result for this URL. Retry it.',
    };
  });
  const running = q.running.filter((b) => b !== ev.batch_id);
  return {
    ...q,
    rows,
    running,
    lastSummary: ev.summary,
    batchError: failure,
    cancelRequested: running.length ? q.cancelRequested : false,
  };
}

/** The user asked to cancel: remembered until the batch's done event. */
export function requestCancel(q: QueueState): QueueState {
  return { ...q, cancelRequested: true };
}

export function isRunning(q: QueueState): boolean {
  return q.running.length > 0 || q.starting !== null;
}

export function currentBatch(q: QueueState): BatchId | null {
  return q.running.length ? q.running[q.running.length - 1] : null;
}

/** Rows that can be retried: failed or cancelled, when no batch is running. */
export function canRetry(q: QueueState, row: QueueRow): boolean {
  return !isRunning(q) && (row.state === 'failed' || row.state === 'cancelled');
}

export interface QueueProgress {
  done: number;
  total: number;
  counts: Record<RowState, number>;
}

export function progress(q: QueueState): QueueProgress {
  const counts: Record<RowState, number> = {
    queued: 0,
    capturing: 0,
    ok: 0,
    blocked: 0,
    removed: 0,
    failed: 0,
    cancelled: 0,
  };
  for (const r of q.rows) counts[r.state]++;
  const done = q.rows.filter((r) => isFinal(r.state)).length;
  return { done, total: q.rows.length, counts };
}

// ---------------------------------------------------------------------------------
// The URL box.

export interface UrlList {
  urls: string[];
  invalid: string[];
  duplicates: number;
}

/** One URL a line; blank lines and `#` comments skipped; http(s) only; duplicates once. */
export function parseUrlList(text: string): UrlList {
  const urls: string[] = [];
  const invalid: string[] = [];
  let duplicates = 0;
  const seen = new Set<string>();
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    let ok = false;
    try {
      const u = new URL(line);
      ok = (u.protocol === 'http:' || u.protocol === 'https:') && u.hostname !== '';
    } catch {
      ok = false;
    }
    if (!ok) {
      invalid.push(line);
      continue;
    }
    if (seen.has(line)) {
      duplicates++;
      continue;
    }
    seen.add(line);
    urls.push(line);
  }
  return { urls, invalid, duplicates };
}

/** Adds imported URLs to the box's text, one a line, without repeating any. */
export function mergeUrls(text: string, more: string[]): string {
  const have = new Set(text.split(/\r?\n/).map((l) => l.trim()));
  const add: string[] = [];
  for (const u of more.map((x) => x.trim())) {
    if (u === '' || have.has(u)) continue;
    have.add(u);
    add.push(u);
  }
  const base = text.replace(/\s+$/, '');
  return [base, ...add].filter((l) => l !== '').join('\n');
}

export const STATE_LABEL: Record<RowState, string> = {
  queued: 'Queued',
  capturing: 'Capturing…',
  ok: 'Captured',
  blocked: 'Blocked',
  removed: 'Removed',
  failed: 'Failed',
  cancelled: 'Cancelled',
};
