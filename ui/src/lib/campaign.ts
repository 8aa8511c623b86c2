// The Campaign step's pure logic: the words for outcomes, deadlines and relisting
// reasons, the recapture job as a state machine fed by its events, and the scale of the
// timeline chart (whose weeks come from the facade). No Svelte and no Tauri here.

import { venueInfo, isVenue, marketplaceLabel } from './complaint';
import type {
  AppError,
  Change,
  Deadline,
  FilingView,
  HistoryEntry,
  JobId,
  OutcomeName,
  ProgressState,
  RecaptureDoneEvent,
  RecaptureProgressEvent,
  RecaptureRequest,
  RecaptureResult,
  RecaptureResultEvent,
  RecaptureSummary,
  RelistingReason,
  Week,
} from './types';

// ---- Outcomes ----

export const OUTCOMES: readonly { value: OutcomeName; label: string }[] = [
  { value: 'pending', label: 'Pending: no answer yet' },
  { value: 'removed', label: 'Removed' },
  { value: 'rejected', label: 'Rejected' },
  { value: 'counter-noticed', label: 'Counter-notice from the seller' },
  { value: 'reinstated', label: 'Reinstated after removal' },
  { value: 'withdrawn', label: 'Withdrawn by us' },
  { value: 'no-answer', label: 'The platform never answered' },
];

export function outcomeLabel(o: string): string {
  return OUTCOMES.find((x) => x.value === o)?.label ?? o;
}

/** A badge class for an outcome: good news, bad news, or still open. */
export function outcomeTone(o: string): 'good' | 'bad' | 'open' {
  if (o === 'removed') return 'good';
  if (o === 'rejected' || o === 'reinstated' || o === 'no-answer') return 'bad';
  return 'open';
}

/** Whether an outcome needs the stated reason more than others do. */
export function reasonMatters(o: OutcomeName): boolean {
  return o === 'rejected' || o === 'counter-noticed' || o === 'reinstated';
}

export function venueTitle(slug: string): string {
  return isVenue(slug) ? venueInfo(slug).title : slug;
}

/** "Taobao 562283240178" */
export function listingName(marketplace: string | null | undefined, listingId: string | null | undefined): string {
  const m = marketplaceLabel(marketplace);
  return listingId ? `${m} ${listingId}` : m;
}

// ---- Deadlines ----

/**
 * How a deadline chip looks: neutral while more than 2 days are left, `soon` (amber) at
 * 2 days or fewer (0 is the day it closes, still open), `closed` (red) once it has closed.
 */
export type DeadlineTone = 'neutral' | 'soon' | 'closed';

export const SOON_DAYS = 2;

export function deadlineTone(d: Pick<Deadline, 'days_left' | 'open'>): DeadlineTone {
  if (!d.open || d.days_left < 0) return 'closed';
  if (d.days_left <= SOON_DAYS) return 'soon';
  return 'neutral';
}

function capitalise(s: string): string {
  return s ? s[0].toUpperCase() + s.slice(1) : s;
}

/**
 * The chip's words, so that its state never rests on colour alone:
 * "First counter-notice: closes 2026-12-09, in 3 days", "… closes today",
 * "Closed: last counter-notice closed 2026-11-30, 6 days ago".
 */
export function deadlineText(d: Deadline): string {
  const what = capitalise(d.what);
  const n = Math.abs(d.days_left);
  const days = `${n} day${n === 1 ? '' : 's'}`;
  switch (deadlineTone(d)) {
    case 'closed':
      return `Closed: ${d.what} window closed ${d.closes_on}, ${days} ago`;
    case 'soon':
      if (d.days_left === 0) return `Closes today: ${d.what} (${d.closes_on})`;
      if (d.days_left === 1) return `Closes tomorrow: ${d.what} (${d.closes_on})`;
      return `Closes soon: ${d.what} on ${d.closes_on}, in ${days}`;
    default:
      return `${what}: closes ${d.closes_on}, in ${days}`;
  }
}

// ---- Changes and relisting reasons ----

const FIELD_LABEL: Record<string, string> = {
  status: 'Status',
  price: 'Price',
  title: 'Title',
  seller: 'Seller',
  image: 'Main image',
};

/** "Price: 10.00 CNY → 12.50 CNY"; an image change names no hashes. */
export function changeText(c: Change): string {
  const label = FIELD_LABEL[c.field] ?? capitalise(c.field);
  if (c.field === 'image') return 'Main image: a different picture';
  return `${label}: ${c.from ?? 'none'} → ${c.to ?? 'none'}`;
}

export function reasonText(r: RelistingReason): string {
  switch (r.kind) {
    case 'same_seller_id':
      return `The same seller id on the marketplace (${r.seller_id})`;
    case 'same_seller_name':
      return `The same seller name (${r.seller})`;
    case 'same_image':
      return r.distance === 0
        ? 'The same main product image'
        : `The same main product image (${r.distance} of 64 bits differ after resizing)`;
    case 'same_title':
      return `The same title, once case, spaces and punctuation are set aside ("${r.title}")`;
    default:
      return 'Another shared fact';
  }
}

/**
 * The day alone when a time is the start of a UTC day (a removal dated by the platform's
 * answer, which gives a day, not a time); null when it is a real moment, shown as one.
 */
export function dayOnly(iso: string | null | undefined): string | null {
  const m = /^(\d{4}-\d{2}-\d{2})T00:00:00(\.0+)?(Z|\+00:00)$/.exec(iso ?? '');
  return m ? m[1] : null;
}

/** The capture whose screenshot shows a listing best: the newest that showed it live. */
export function showingCapture(captures: readonly HistoryEntry[]): HistoryEntry | null {
  for (let i = captures.length - 1; i >= 0; i--) if (captures[i].status === 'ok') return captures[i];
  return captures.length ? captures[captures.length - 1] : null;
}

// ---- Figures ----

/** "50 %", or "—" when there is nothing to divide by. */
export function percentText(rate: number | null | undefined): string {
  if (rate === null || rate === undefined || !Number.isFinite(rate)) return '—';
  const p = rate * 100;
  return `${Number.isInteger(p) ? p : p.toFixed(1)} %`;
}

/** "4 days", "0.5 days", or "—". */
export function daysText(days: number | null | undefined): string {
  if (days === null || days === undefined || !Number.isFinite(days)) return '—';
  const v = Number.isInteger(days) ? String(days) : days.toFixed(1);
  return `${v} day${days === 1 ? '' : 's'}`;
}

// ---- The timeline ----

/**
 * The series the chart draws, as the agency packet names them: its figures come from the
 * facade (`timeline()`), never from a count made here.
 */
export const TIMELINE_SERIES: readonly { key: TimelineSeries; label: string }[] = [
  { key: 'filed', label: 'Reported' },
  { key: 'removed', label: 'Removed' },
  { key: 'relisted', label: 'Relisted' },
  { key: 'still_live', label: "Still live at the week's end" },
];

export type TimelineSeries = 'filed' | 'removed' | 'relisted' | 'still_live';

/** The top of the chart's scale: the largest figure of any week and series, at least 1. */
export function timelineMax(weeks: readonly Week[]): number {
  let max = 1;
  for (const w of weeks) for (const s of TIMELINE_SERIES) max = Math.max(max, w[s.key]);
  return max;
}

/** The y-axis ticks: every whole number up to 4, else 0, the middle and the top. */
export function timelineTicks(max: number): number[] {
  return max <= 4 ? Array.from({ length: max + 1 }, (_, i) => i) : [0, Math.round(max / 2), max];
}

/** Whether a week had anything happen in it (the packet's table lists only those). */
export function eventfulWeek(w: Week): boolean {
  return w.filed + w.removed + w.relisted > 0;
}

// ---- The recapture job ----

export interface RecaptureRow {
  url: string;
  state: ProgressState;
  reason?: string;
}

export interface RecaptureState {
  jobId: JobId | null;
  running: boolean;
  /** What was asked for (which listings, which mode). */
  request: RecaptureRequest;
  /** Listings to take, as the UI counted them when it started (the summary corrects it). */
  total: number;
  /** Each URL's latest state, in the order first heard of. */
  rows: RecaptureRow[];
  results: RecaptureResult[];
  summary: RecaptureSummary | null;
  error: AppError | null;
  cancelled: boolean;
  cancelRequested: boolean;
}

export function emptyRecapture(): RecaptureState {
  return {
    jobId: null,
    running: false,
    request: {},
    total: 0,
    rows: [],
    results: [],
    summary: null,
    error: null,
    cancelled: false,
    cancelRequested: false,
  };
}

export function beginRecapture(total: number, request: RecaptureRequest = {}): RecaptureState {
  return { ...emptyRecapture(), running: true, total, request };
}

/** The start came back with its job id (events may have come first). */
export function attachRecapture(s: RecaptureState, jobId: JobId): RecaptureState {
  return { ...s, jobId };
}

export function recaptureStartFailed(s: RecaptureState, error: AppError): RecaptureState {
  return { ...s, running: false, error };
}

/** Whether an event belongs to the job shown (before its id is known: the one running). */
function mine(s: RecaptureState, jobId: JobId): boolean {
  return s.jobId === null ? s.running : s.jobId === jobId;
}

export function applyRecaptureProgress(s: RecaptureState, e: RecaptureProgressEvent): RecaptureState {
  if (!mine(s, e.job_id)) return s;
  const rows = [...s.rows];
  const i = rows.findIndex((r) => r.url === e.url);
  const row: RecaptureRow = { url: e.url, state: e.state, ...(e.reason ? { reason: e.reason } : {}) };
  if (i >= 0) rows[i] = row;
  else rows.push(row);
  return { ...s, jobId: s.jobId ?? e.job_id, rows, total: Math.max(s.total, rows.length) };
}

export function applyRecaptureResult(s: RecaptureState, e: RecaptureResultEvent): RecaptureState {
  if (!mine(s, e.job_id)) return s;
  const results = s.results.filter((r) => r.listing !== e.result.listing);
  results.push(e.result);
  return { ...s, jobId: s.jobId ?? e.job_id, results };
}

export function applyRecaptureDone(s: RecaptureState, e: RecaptureDoneEvent): RecaptureState {
  if (!mine(s, e.job_id)) return s;
  return {
    ...s,
    jobId: e.job_id,
    running: false,
    results: e.results.length || e.error ? e.results : s.results,
    summary: e.error ? null : e.summary,
    total: e.error ? s.total : Math.max(e.summary.total, 0),
    error: e.error ?? null,
    cancelled: e.cancelled,
    cancelRequested: false,
  };
}

const FINAL: readonly ProgressState[] = ['ok', 'blocked', 'removed', 'failed', 'cancelled'];

/** How far the job is: URLs finished of the total, as a whole percent. */
export function recaptureProgress(s: RecaptureState): { done: number; total: number; percent: number } {
  const done = s.rows.filter((r) => FINAL.includes(r.state)).length;
  const total = Math.max(s.total, s.rows.length, done);
  const percent = total > 0 ? Math.round((done / total) * 100) : s.running ? 0 : 100;
  return { done, total, percent };
}

/** Whether the platform said this listing was removed while the capture found it live. */
export function stillLive(r: RecaptureResult): boolean {
  return r.result === 'live' && r.said_removed.length > 0;
}

export function resultLabel(r: RecaptureResult): string {
  if (stillLive(r)) return 'STILL LIVE';
  switch (r.result) {
    case 'live':
      return 'Still live';
    case 'removed':
      return 'Removed';
    case 'blocked':
      return 'Blocked';
    default:
      return 'Failed';
  }
}

/**
 * What became of a listing, in the app's words: the marketplace and venue by name, the
 * platform's answer that a capture contradicts, and what changed.
 */
export function resultText(r: RecaptureResult): string {
  const name = listingName(r.marketplace, r.listing_id);
  if (stillLive(r)) {
    const s = r.said_removed[0];
    return `${name} is still live, although ${venueTitle(s.venue)} said on ${s.on_date} that it was removed (filing ${s.reference}).`;
  }
  switch (r.result) {
    case 'live':
      return r.changed.length
        ? `${name} is still live; changed: ${r.changed.map(changeText).join('; ')}.`
        : `${name} is still live, unchanged.`;
    case 'removed':
      return `${name} has been removed.`;
    case 'blocked':
      return `${name} could not be seen: the marketplace showed a block page, which proves nothing either way.`;
    default:
      return r.message;
  }
}

/** Filings newest first: by the day filed, then as recorded. */
export function newestFirst(filings: readonly FilingView[]): FilingView[] {
  return [...filings].sort((a, b) => b.filed_on.localeCompare(a.filed_on) || b.id - a.id);
}

/** Results with the contradicted ones first, then live, blocked, failed, removed. */
export function sortedResults(results: readonly RecaptureResult[]): RecaptureResult[] {
  const rank = (r: RecaptureResult) =>
    stillLive(r) ? 0 : r.result === 'live' ? 1 : r.result === 'blocked' ? 2 : r.result === 'failed' ? 3 : 4;
  return [...results].sort((a, b) => rank(a) - rank(b) || a.listing - b.listing);
}

/** "2 of 4 taken · 1 removed · 1 still live (1 although the platform said removed)". */
export function recaptureSummaryLine(s: RecaptureSummary): string {
  const parts = [`${s.total - s.cancelled} of ${s.total} taken again`];
  parts.push(`${s.removed} removed`);
  parts.push(
    `${s.live} still live${s.live_though_said_removed ? ` (${s.live_though_said_removed} although the platform said removed)` : ''}`,
  );
  if (s.blocked) parts.push(`${s.blocked} blocked`);
  if (s.failed) parts.push(`${s.failed} failed`);
  if (s.cancelled) parts.push(`${s.cancelled} cancelled`);
  return parts.join(' · ');
}

/** The distinct listings the filings reported (one filing's, when given). */
export function reportedListings(filings: readonly FilingView[], filing?: number): number[] {
  const ids = new Set<number>();
  for (const f of filings) if (filing === undefined || f.id === filing) for (const l of f.listings) ids.add(l.listing);
  return [...ids];
}
