import { afterEach, describe, expect, it } from 'vitest';
import { flushSync, mount, unmount } from 'svelte';
import ScheduleAPreview from './ScheduleAPreview.svelte';
import { exportedFiles, pairSummary } from '../lib/scheduleA';
import type { ExportReport, SchedulePreview } from '../lib/types';

const EVIL = '<img src=x onerror=alert(1)>';

/** A preview as the facade sends it: three sellers, two on the same marketplace. */
function preview(): SchedulePreview {
  return {
    forum: 'US-IL',
    rows: [
      { doe: 1, alias: 'Summer Technology Co.,Ltd.', seller_id: '1392990', store_url: 'https://www.aliexpress.com/store/1392990', marketplace: 'AliExpress', listing_urls: ['https://www.aliexpress.com/item/32993251330.html'] },
      { doe: 2, alias: EVIL, seller_id: '64592671', store_url: '', marketplace: 'Taobao', listing_urls: ['https://item.taobao.com/item.htm?id=1', 'https://item.taobao.com/item.htm?id=2'] },
      { doe: 3, alias: 'Other shop', seller_id: '', store_url: '', marketplace: 'Taobao', listing_urls: ['https://item.taobao.com/item.htm?id=3'] },
    ],
    gaps: [
      { doe: 2, code: 'no_forum_sale', message: 'Doe 2: nothing shows a sale into US-IL.' },
      { doe: 2, code: 'no_location', message: 'Doe 2: no storefront or seller profile page is captured.' },
      { doe: 3, code: 'no_location', message: 'Doe 3: no storefront or seller profile page is captured.' },
    ],
    pairs: [
      { a: 1, b: 2, shared: [{ what: 'image', detail: 'the same product image: Exhibit 1 and Exhibit 4' }], differs: [{ what: 'marketplace', detail: 'AliExpress and Taobao' }] },
      { a: 1, b: 3, shared: [], differs: [{ what: 'marketplace', detail: 'AliExpress and Taobao' }] },
      { a: 2, b: 3, shared: [{ what: 'marketplace', detail: 'both sell on Taobao' }], differs: [{ what: 'price', detail: 'prices CNY 89.00; CNY 149.00' }] },
    ],
  };
}

let mounted: Record<string, unknown>[] = [];
afterEach(() => {
  for (const m of mounted) unmount(m);
  mounted = [];
  document.body.innerHTML = '';
});

function show(props: { preview: SchedulePreview | null; waiting: boolean }) {
  const target = document.createElement('div');
  document.body.appendChild(target);
  mounted.push(mount(ScheduleAPreview, { target, props }));
  flushSync();
  return target;
}

const all = (root: ParentNode, id: string) => [...root.querySelectorAll(`[data-testid="${id}"]`)];

describe('the Schedule A table in the complaint step', () => {
  it('shows each defendant with its gaps beside its row, and captured names as text', () => {
    const t = show({ preview: preview(), waiting: false });
    const section = t.querySelector('[data-testid="schedule-a"]')!;
    expect(section.getAttribute('data-state')).toBe('ready');
    expect(section.getAttribute('data-forum')).toBe('US-IL');
    const rows = all(t, 'schedule-row');
    expect(rows.map((r) => r.getAttribute('data-doe'))).toEqual(['1', '2', '3']);
    expect(rows.map((r) => r.getAttribute('data-gaps'))).toEqual(['', 'no_forum_sale,no_location', 'no_location']);
    expect(rows[0].querySelector('[data-testid="schedule-complete"]')?.textContent).toMatch(/Nothing missing/);
    expect(all(rows[1], 'schedule-gap').map((g) => g.textContent)).toEqual([
      'Doe 2: nothing shows a sale into US-IL.',
      'Doe 2: no storefront or seller profile page is captured.',
    ]);
    expect(all(rows[1], 'schedule-listing')).toHaveLength(2);
    expect(rows[1].querySelector('[data-testid="schedule-alias"]')!.textContent).toBe(EVIL);
    expect(t.querySelector('img')).toBeNull();
    expect(t.querySelector('a')).toBeNull();
    expect(rows[2].querySelector('[data-testid="schedule-store"]')!.textContent).toBe('Not captured');
  });

  it('reports each pair beside the table, and says when a pair shares only the marketplace', () => {
    const t = show({ preview: preview(), waiting: false });
    const pairs = all(t, 'joinder-pair');
    expect(pairs.map((p) => `${p.getAttribute('data-a')}-${p.getAttribute('data-b')}`)).toEqual(['1-2', '1-3', '2-3']);
    expect(pairs.map((p) => p.getAttribute('data-only-marketplace'))).toEqual(['false', 'false', 'true']);
    expect(pairs[2].querySelector('[data-testid="joinder-summary"]')!.textContent).toBe(
      'They share only the marketplace: nothing else on their pages ties them together.',
    );
    expect(all(pairs[0], 'joinder-shared').map((f) => f.textContent)).toEqual([
      'Product image: the same product image: Exhibit 1 and Exhibit 4',
    ]);
    expect(all(pairs[1], 'joinder-shared')).toHaveLength(0);
    expect(pairs[1].querySelector('[data-testid="joinder-summary"]')!.textContent).toBe('Nothing on their pages is the same.');
    expect(all(pairs[2], 'joinder-differs').map((f) => f.getAttribute('data-what'))).toEqual(['price']);
  });

  it('waits for a check, and says why there is no table while the complaint has problems', () => {
    const waiting = show({ preview: null, waiting: true });
    expect(waiting.querySelector('[data-testid="schedule-a"]')!.getAttribute('data-state')).toBe('waiting');
    document.body.innerHTML = '';
    const none = show({ preview: null, waiting: false });
    expect(none.querySelector('[data-testid="schedule-a-empty"]')!.textContent).toMatch(/no problems left/);
  });
});

describe('pairs and exported files in plain words', () => {
  it('counts what ties a pair beyond the marketplace', () => {
    expect(pairSummary({ a: 1, b: 2, shared: [{ what: 'marketplace', detail: 'x' }, { what: 'title', detail: 'y' }, { what: 'price', detail: 'z' }], differs: [] }).line).toBe(
      '2 facts beyond the marketplace in common: title, price.',
    );
  });

  it('lists the files an export wrote beside the packet, only those it wrote', () => {
    const r: ExportReport = {
      packet: '/out/packet.pdf',
      bundle: '/out/bundle.zip',
      pages: 40,
      bates_first: 'ACME000001',
      bates_last: 'ACME000040',
      manifest_sha256: 'a',
      bundle_sha256: 'b',
      warnings: [],
      filing_sheet: null,
      url_lists: [],
      uploads: [],
      listings: 3,
      batches: 1,
      defendants: 2,
      schedule_a_csv: '/out/schedule-a.csv',
      joinder_report: '/out/joinder-report.pdf',
      test_buy_report: null,
    };
    expect(exportedFiles(r).map((f) => [f.key, f.path])).toEqual([
      ['schedule_a_csv', '/out/schedule-a.csv'],
      ['joinder_report', '/out/joinder-report.pdf'],
    ]);
    expect(exportedFiles({ ...r, schedule_a_csv: null, joinder_report: null, test_buy_report: '/out/test-buy-report.pdf' }).map((f) => f.label)).toEqual([
      'Test-buy report',
    ]);
  });
});
