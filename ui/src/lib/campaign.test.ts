import { describe, expect, it } from 'vitest';
import {
  applyRecaptureDone,
  applyRecaptureProgress,
  applyRecaptureResult,
  attachRecapture,
  beginRecapture,
  changeText,
  dayOnly,
  daysText,
  deadlineText,
  deadlineTone,
  emptyRecapture,
  percentText,
  reasonText,
  recaptureProgress,
  recaptureSummaryLine,
  reportedListings,
  newestFirst,
  resultLabel,
  resultText,
  showingCapture,
  sortedResults,
  stillLive,
  timelineMax,
  timelineTicks,
  eventfulWeek,
  TIMELINE_SERIES,
} from './campaign';
import type { Deadline, FilingView, HistoryEntry, RecaptureResult, RecaptureSummary } from './types';

function deadline(days_left: number, what = 'first counter-notice'): Deadline {
  return { what, closes_on: '2026-12-09', days_left, open: days_left >= 0 };
}

describe('deadline chips', () => {
  it('stay neutral while more than 2 days are left', () => {
    for (const d of [3, 4, 27]) expect(deadlineTone(deadline(d))).toBe('neutral');
  });

  it('turn amber at 2 days or fewer, the closing day included', () => {
    for (const d of [2, 1, 0]) expect(deadlineTone(deadline(d))).toBe('soon');
  });

  it('turn red once closed', () => {
    for (const d of [-1, -30]) expect(deadlineTone(deadline(d))).toBe('closed');
    // The backend's `open` decides even if the count were to disagree.
    expect(deadlineTone({ days_left: 1, open: false })).toBe('closed');
  });

  it('say their state in words, not colour alone', () => {
    expect(deadlineText(deadline(5))).toBe('First counter-notice: closes 2026-12-09, in 5 days');
    expect(deadlineText(deadline(2))).toBe('Closes soon: first counter-notice on 2026-12-09, in 2 days');
    expect(deadlineText(deadline(1))).toBe('Closes tomorrow: first counter-notice (2026-12-09)');
    expect(deadlineText(deadline(0))).toBe('Closes today: first counter-notice (2026-12-09)');
    expect(deadlineText(deadline(-1, 'last counter-notice'))).toBe(
      'Closed: last counter-notice window closed 2026-12-09, 1 day ago',
    );
  });
});

describe('words for the campaign', () => {
  it('names every relisting reason in plain words', () => {
    expect(reasonText({ kind: 'same_seller_id', seller_id: '12345' })).toContain('same seller id');
    expect(reasonText({ kind: 'same_seller_name', seller: '怡科外设' })).toContain('怡科外设');
    expect(
      reasonText({ kind: 'same_image', original_capture: 1, candidate_capture: 2, distance: 3, algorithm: 'dhash-64' }),
    ).toBe('The same main product image (3 of 64 bits differ after resizing)');
    expect(
      reasonText({ kind: 'same_image', original_capture: 1, candidate_capture: 2, distance: 0, algorithm: 'dhash-64' }),
    ).toBe('The same main product image');
    expect(reasonText({ kind: 'same_title', title: 'acme lantern model 7' })).toContain('"acme lantern model 7"');
  });

  it('words a change between two captures', () => {
    expect(changeText({ field: 'price', from: '10.00 CNY', to: '12.50 CNY' })).toBe('Price: 10.00 CNY → 12.50 CNY');
    expect(changeText({ field: 'status', from: 'ok', to: 'removed' })).toBe('Status: ok → removed');
    expect(changeText({ field: 'image', from: 'ab', to: 'cd' })).toBe('Main image: a different picture');
    expect(changeText({ field: 'seller', from: null, to: 'shop' })).toBe('Seller: none → shop');
  });

  it('formats rates and days, with a dash for nothing', () => {
    expect(percentText(0.5)).toBe('50 %');
    expect(percentText(2 / 3)).toBe('66.7 %');
    expect(percentText(null)).toBe('—');
    expect(daysText(4)).toBe('4 days');
    expect(daysText(1)).toBe('1 day');
    expect(daysText(0.5)).toBe('0.5 days');
    expect(daysText(null)).toBe('—');
  });

  it('shows a day given as a day without an invented time', () => {
    expect(dayOnly('2026-12-06T00:00:00Z')).toBe('2026-12-06');
    expect(dayOnly('2026-12-06T00:00:00.000Z')).toBe('2026-12-06');
    expect(dayOnly('2026-12-06T05:19:49.120Z')).toBeNull();
    expect(dayOnly('')).toBeNull();
  });

  it('shows the newest capture that showed the listing live', () => {
    const entry = (capture_id: number, status: HistoryEntry['status']): HistoryEntry => ({
      capture_id,
      captured_at: '2026-12-01T00:00:00Z',
      mode: 'browser',
      status,
      title: null,
      price: null,
      currency: null,
      seller_id: null,
      seller: null,
      image_sha256: null,
      changed: [],
    });
    expect(showingCapture([entry(1, 'ok'), entry(2, 'ok'), entry(3, 'removed')])?.capture_id).toBe(2);
    expect(showingCapture([entry(4, 'blocked')])?.capture_id).toBe(4);
    expect(showingCapture([])).toBeNull();
  });
});

function filing(id: number, filed_on: string, listings: { listing: number; removed?: string }[]): FilingView {
  return {
    id,
    venue: 'alibaba-ipp',
    reference: `IPP-${id}`,
    filed_on,
    export_sha256: null,
    recorded_at: `${filed_on}T10:00:00.000Z`,
    deadlines: [],
    listings: listings.map((l) => ({
      listing: l.listing,
      listing_id: String(l.listing),
      marketplace: 'taobao',
      url: null,
      capture_id: null,
      outcome: l.removed ? 'removed' : 'pending',
      outcomes: l.removed
        ? [{ id: l.listing, outcome: 'removed', on_date: l.removed, reason: null, attachment: null, attachment_sha256: null, recorded_at: '' }]
        : [],
    })),
  };
}

describe('the timeline', () => {
  it("draws the packet's four series, scaled to the largest figure of any of them", () => {
    expect(TIMELINE_SERIES.map((x) => x.key)).toEqual(['filed', 'removed', 'relisted', 'still_live']);
    expect(TIMELINE_SERIES[3].label).toBe("Still live at the week's end");
    const week = (filed: number, removed: number, relisted: number, still_live: number) => ({ monday: '2026-11-02', filed, removed, relisted, still_live });
    expect(timelineMax([week(2, 0, 0, 2), week(0, 1, 0, 7)])).toBe(7);
    expect(timelineMax([])).toBe(1);
    expect(timelineTicks(3)).toEqual([0, 1, 2, 3]);
    expect(timelineTicks(7)).toEqual([0, 4, 7]);
    expect(eventfulWeek(week(0, 0, 0, 5))).toBe(false);
    expect(eventfulWeek(week(0, 0, 1, 5))).toBe(true);
  });

  it('names each reported listing once', () => {
    const filings = [filing(1, '2026-11-04', [{ listing: 1 }, { listing: 2 }]), filing(2, '2026-11-05', [{ listing: 2 }])];
    expect(reportedListings(filings).sort()).toEqual([1, 2]);
    expect(reportedListings(filings, 2)).toEqual([2]);
  });
});

function result(listing: number, r: RecaptureResult['result'], saidRemoved = false): RecaptureResult {
  return {
    listing,
    listing_id: String(listing),
    marketplace: 'taobao',
    url: `https://item.taobao.com/item.htm?id=${listing}`,
    mode: 'http',
    capture_id: 100 + listing,
    status: r === 'live' ? 'ok' : r === 'removed' ? 'removed' : r === 'blocked' ? 'blocked' : 'failed',
    result: r,
    changed: [],
    said_removed: saidRemoved ? [{ filing: 1, venue: 'ebay-vero', reference: 'VERO-77', on_date: '2026-12-01' }] : [],
    message: `listing ${listing}`,
  };
}

const summary: RecaptureSummary = {
  total: 3,
  live: 2,
  removed: 1,
  blocked: 0,
  failed: 0,
  live_though_said_removed: 1,
  cancelled: 0,
  elapsed_ms: 1200,
};

describe('the recapture job', () => {
  it('follows its events from start to done', () => {
    let s = beginRecapture(3);
    expect(recaptureProgress(s)).toEqual({ done: 0, total: 3, percent: 0 });
    // An event may arrive before the start returns its id: it is adopted.
    s = applyRecaptureProgress(s, { job_id: 7, index: 0, url: 'u1', state: 'capturing' });
    expect(s.jobId).toBe(7);
    s = attachRecapture(s, 7);
    s = applyRecaptureProgress(s, { job_id: 7, index: 0, url: 'u1', state: 'removed', capture_id: 3 });
    s = applyRecaptureProgress(s, { job_id: 7, index: 1, url: 'u2', state: 'capturing' });
    expect(recaptureProgress(s)).toEqual({ done: 1, total: 3, percent: 33 });
    // Another job's events are not this one's.
    expect(applyRecaptureProgress(s, { job_id: 8, index: 0, url: 'x', state: 'ok' })).toBe(s);
    s = applyRecaptureResult(s, { job_id: 7, result: result(1, 'removed') });
    s = applyRecaptureResult(s, { job_id: 7, result: result(1, 'removed') });
    expect(s.results).toHaveLength(1);
    s = applyRecaptureDone(s, {
      job_id: 7,
      summary,
      results: [result(1, 'removed'), result(2, 'live', true), result(3, 'live')],
      cancelled: false,
    });
    expect(s.running).toBe(false);
    expect(s.results).toHaveLength(3);
    expect(recaptureSummaryLine(s.summary!)).toBe(
      '3 of 3 taken again · 1 removed · 2 still live (1 although the platform said removed)',
    );
  });

  it('keeps the refusal when it could not run at all', () => {
    let s = attachRecapture(beginRecapture(0), 4);
    s = applyRecaptureDone(s, {
      job_id: 4,
      summary: { ...summary, total: 0, live: 0, removed: 0, live_though_said_removed: 0 },
      results: [],
      cancelled: false,
      error: { code: 'bad_input', message: 'No filing is recorded yet.' },
    });
    expect(s.error?.code).toBe('bad_input');
    expect(s.summary).toBeNull();
    expect(emptyRecapture().running).toBe(false);
  });

  it('puts a listing the platform said was removed, but is live, first and loud', () => {
    const rs = [result(1, 'removed'), result(2, 'live'), result(3, 'live', true), result(4, 'blocked')];
    expect(sortedResults(rs).map((r) => r.listing)).toEqual([3, 2, 4, 1]);
    expect(stillLive(rs[2])).toBe(true);
    expect(resultLabel(rs[2])).toBe('STILL LIVE');
    expect(resultLabel(rs[1])).toBe('Still live');
    expect(resultLabel(rs[0])).toBe('Removed');
  });

  it('words each result with the marketplace and venue by name', () => {
    expect(resultText(result(3, 'live', true))).toBe(
      'Taobao 3 is still live, although eBay VeRO said on 2026-12-01 that it was removed (filing VERO-77).',
    );
    expect(resultText(result(1, 'removed'))).toBe('Taobao 1 has been removed.');
    expect(resultText(result(2, 'live'))).toBe('Taobao 2 is still live, unchanged.');
    expect(resultText({ ...result(2, 'live'), changed: [{ field: 'price', from: '10.00 CNY', to: '12.00 CNY' }] })).toBe(
      'Taobao 2 is still live; changed: Price: 10.00 CNY → 12.00 CNY.',
    );
    expect(resultText({ ...result(4, 'failed'), message: 'It timed out.' })).toBe('It timed out.');
  });

  it('lists filings newest first', () => {
    const fs = [filing(1, '2026-11-04', []), filing(2, '2026-12-01', []), filing(3, '2026-11-04', [])];
    expect(newestFirst(fs).map((f) => f.id)).toEqual([2, 3, 1]);
  });
});
