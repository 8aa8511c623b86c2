import { afterEach, describe, expect, it, vi } from 'vitest';
import { flushSync, mount, tick, unmount } from 'svelte';
import App from '../App.svelte';
import CaptureCard from './CaptureCard.svelte';
import { AppState, type Backend } from '../lib/app.svelte';
import type {
  CaseCheck,
  CustodyLog,
  DefendantView,
  FilingView,
  GalleryItem,
  ListingHistory,
  ListingView,
  PurchaseView,
  RecaptureResult,
  Relistings,
  SellerView,
  Stats,
  Timeline,
  WaczImportReport,
} from '../lib/types';

const EVIL = '<img src=x onerror=alert(1)>';

function capture(o: Partial<GalleryItem> = {}): GalleryItem {
  return {
    id: 12,
    mode: 'browser',
    requested_url: 'https://item.taobao.com/item.htm?id=1',
    final_url: null,
    status: 'ok',
    http_status: 200,
    page_kind: 'listing',
    marketplace: 'taobao',
    listing_id: '562283240178',
    title: 'ACME 露营灯',
    price: '89.00',
    currency: 'CNY',
    seller: 'Example Store',
    started_at: '2026-11-28T12:00:00Z',
    finished_at: '2026-11-28T12:00:04Z',
    remote_addr: null,
    redirects: [],
    error: null,
    record_sha256: 'ab'.repeat(32),
    artifacts: [],
    trusted_time: null,
    ...o,
  };
}

let mounted: Record<string, unknown>[] = [];
afterEach(() => {
  for (const m of mounted) unmount(m);
  mounted = [];
  document.body.innerHTML = '';
});

function mountCard(props: Partial<Parameters<typeof CaptureCard>[1]> & { capture: GalleryItem }) {
  const target = document.createElement('div');
  document.body.appendChild(target);
  const onlink = vi.fn();
  const c = mount(CaptureCard, {
    target,
    props: {
      thumb: 'exhibit://localhost/capture/12/screenshot?w=360',
      entry: undefined,
      defaults: undefined,
      rights: [{ id: 'TM-1', kind: 'trademark' }],
      onlink,
      onunlink: vi.fn(),
      onupdate: vi.fn(),
      onopen: vi.fn(),
      ...props,
    },
  });
  mounted.push(c);
  flushSync();
  return { target, onlink };
}

describe('CaptureCard', () => {
  it('shows a hostile title as literal text and creates no element from it', () => {
    const { target } = mountCard({
      capture: capture({ title: EVIL, seller: '<script>alert(2)</script>', listing_id: '<b>1</b>' }),
    });
    const imgs = target.querySelectorAll('img');
    expect(imgs).toHaveLength(1);
    expect(imgs[0].getAttribute('src')).toBe('exhibit://localhost/capture/12/screenshot?w=360');
    expect(imgs[0].getAttribute('loading')).toBe('lazy');
    expect(target.querySelector('[data-testid="card-title"]')!.textContent).toBe(EVIL);
    expect(target.querySelector('[data-testid="card-seller"]')!.textContent).toBe('<script>alert(2)</script>');
    expect(target.querySelector('script')).toBeNull();
    expect(target.querySelector('b')).toBeNull();
    expect(target.querySelector('[onerror]')).toBeNull();
  });

  it('marks a blocked capture with its reason and offers no way to link it', () => {
    const { target } = mountCard({
      capture: capture({ status: 'blocked', error: 'The page is a login wall (taobao login).' }),
    });
    const card = target.querySelector('[data-testid="card"]')!;
    expect(card.getAttribute('data-status')).toBe('blocked');
    expect(target.querySelector('[data-testid="card-reason"]')!.textContent).toBe('The page is a login wall (taobao login).');
    expect(target.querySelector('[data-testid="card-unlinkable"]')!.textContent).toMatch(/Cannot be used as evidence/);
    expect(target.querySelector('[data-testid="link-right"]')).toBeNull();
  });

  it('lets a removed capture be linked as takedown proof', () => {
    const { target, onlink } = mountCard({ capture: capture({ status: 'removed', http_status: 404 }) });
    const select = target.querySelector<HTMLSelectElement>('[data-testid="link-right"]')!;
    expect(select).not.toBeNull();
    expect(target.querySelector(`label[for="${select.id}"]`)!.textContent).toMatch(/Takedown proof/);
    select.value = 'TM-1';
    select.dispatchEvent(new Event('change', { bubbles: true }));
    expect(onlink).toHaveBeenCalledWith('TM-1', undefined);
  });

  it('shows the trusted time when an authority signed one, and says None otherwise', () => {
    const { target } = mountCard({
      capture: capture({
        trusted_time: { state: 'stamped', gen_time: '2026-11-28T12:00:06.250Z', tsa_name: 'CN=Exhibit Test TSA', serial: '1a2b', delay_ms: 2250 },
      }),
    });
    const t = target.querySelector('[data-testid="card-trusted-time"]')!;
    expect(t.getAttribute('data-state')).toBe('stamped');
    expect(t.getAttribute('data-gen-time')).toBe('2026-11-28T12:00:06.250Z');
    expect(t.textContent).toContain('CN=Exhibit Test TSA');
    expect(t.querySelector('time')!.getAttribute('datetime')).toBe('2026-11-28T12:00:06.250Z');
    unmount(mounted.pop()!);

    for (const none of [undefined, null]) {
      const { target: t2 } = mountCard({ capture: capture({ trusted_time: none }) });
      const n = t2.querySelector('[data-testid="card-trusted-time"]')!;
      expect(n.getAttribute('data-state')).toBe('none');
      expect(n.textContent).toBe('None');
    }
  });

  it('offers a translation for a Chinese title once linked', () => {
    const { target } = mountCard({
      capture: capture(),
      entry: { capture: 12, right: 'TM-1', infringement: 'counterfeit' },
    });
    const tr = target.querySelector<HTMLInputElement>('[data-testid="translation"]')!;
    expect(tr.disabled).toBe(false);
    expect(target.querySelector(`label[for="${tr.id}"]`)).not.toBeNull();
  });
});

// ---- the whole app against a fake backend ----

function fakeBackend(over: Partial<Backend> = {}): Backend {
  const noop = async () => () => {};
  const base = {
    recentCases: vi.fn(async () => []),
    caseInfo: vi.fn(async () => null),
    purchases: vi.fn(async () => []),
    defendants: vi.fn(async () => []),
    getSettings: vi.fn(async () => ({ capture_mode: 'browser', concurrency: 4 })),
    saveSettings: vi.fn(async () => null),
    passphraseStrength: vi.fn(async () => ({ score: 4, acceptable: true, warning: null, suggestions: [] })),
    createCase: vi.fn(),
    openCase: vi.fn(),
    closeCase: vi.fn(async () => null),
    loadDraft: vi.fn(async () => null),
    saveDraft: vi.fn(async () => null),
    checkDraft: vi.fn(async () => ({ venue: 'alibaba-ipp', issues: [], batches: [] })),
    attachments: vi.fn(async () => []),
    attachFile: vi.fn(),
    capturePage: vi.fn(async () => ({ total: 0, items: [] })),
    captureDetail: vi.fn(),
    browserStatus: vi.fn(async () => ({ open: false, snaps: 0 })),
    custody: vi.fn(),
    verifyBundle: vi.fn(),
    screenshotUrl: (id: number, w?: number) => `exhibit://localhost/capture/${id}/screenshot${w ? `?w=${w}` : ''}`,
    onCaptureProgress: vi.fn(noop),
    onCaptureDone: vi.fn(noop),
    onExportProgress: vi.fn(noop),
    onExportDone: vi.fn(noop),
    onRecaptureProgress: vi.fn(noop),
    onRecaptureResult: vi.fn(noop),
    onRecaptureDone: vi.fn(noop),
    onFileDrop: vi.fn(noop),
  };
  return { ...base, ...over } as unknown as Backend;
}

async function settle() {
  for (let i = 0; i < 5; i++) {
    await tick();
    await new Promise((r) => setTimeout(r, 0));
  }
  flushSync();
}

function mountApp(api: Backend) {
  const app = new AppState(api);
  const target = document.createElement('div');
  document.body.appendChild(target);
  mounted.push(mount(App, { target, props: { app } }));
  return { app, target };
}

function type(el: Element | null, value: string) {
  const input = el as HTMLInputElement;
  input.value = value;
  input.dispatchEvent(new Event('input', { bubbles: true }));
}

const q = (root: ParentNode, id: string) => root.querySelector(`[data-testid="${id}"]`);

describe('App', () => {
  it('a wrong passphrase shows the message in an alert, and nothing else', async () => {
    const api = fakeBackend({
      recentCases: vi.fn(async () => [{ path: '/cases/acme.exhibit', title: 'Acme', opened_at: '2026-11-28T12:00:00Z' }]),
      openCase: vi.fn(async () => {
        throw { code: 'wrong_passphrase', message: 'That passphrase does not open this case.' };
      }),
    });
    const { target } = mountApp(api);
    await settle();
    (q(target, 'recent-case') as HTMLButtonElement).click();
    await settle();
    expect((q(target, 'unlock-path') as HTMLInputElement).value).toBe('/cases/acme.exhibit');
    type(q(target, 'unlock-passphrase'), 'guess');
    (q(target, 'unlock-submit') as HTMLButtonElement).click();
    await settle();
    expect(api.openCase).toHaveBeenCalledWith('/cases/acme.exhibit', 'guess');
    const alert = target.querySelector('[role="alert"]')!;
    expect(alert.getAttribute('data-testid')).toBe('error');
    expect(alert.getAttribute('data-code')).toBe('wrong_passphrase');
    expect(alert.textContent).toContain('That passphrase does not open this case.');
    expect((q(target, 'unlock-passphrase') as HTMLInputElement).value).toBe('');
  });

  it('every nav step but Case and Verify is disabled until a case is open', async () => {
    const { target } = mountApp(fakeBackend());
    await settle();
    expect((q(target, 'nav-case') as HTMLButtonElement).disabled).toBe(false);
    expect((q(target, 'nav-verify') as HTMLButtonElement).disabled).toBe(false);
    for (const s of ['rights', 'capture', 'review', 'complaint', 'export', 'campaign', 'custody'])
      expect((q(target, `nav-${s}`) as HTMLButtonElement).disabled).toBe(true);
  });

  it('renders hostile captured text in the gallery and the custody log as text', async () => {
    const log: CustodyLog = {
      intact: true,
      problems: [],
      events: [
        { seq: 1, at: '2026-11-28T12:00:00Z', kind: 'capture.taken', detail: JSON.stringify({ title: EVIL }), prev_hash: '0'.repeat(64), hash: 'f'.repeat(64) },
      ],
    };
    const api = fakeBackend({
      caseInfo: vi.fn(async () => ({ path: '/c.exhibit', title: 'Acme', captures: 1, collector: null })),
      capturePage: vi.fn(async () => ({ total: 1, items: [capture({ title: EVIL })] })),
      custody: vi.fn(async () => log),
    });
    const { app, target } = mountApp(api);
    await settle();
    expect(q(target, 'header-title')!.textContent!.trim()).toBe('Acme');
    app.go('review');
    await settle();
    expect(q(target, 'card-title')!.textContent).toBe(EVIL);
    const imgs = [...target.querySelectorAll('img')];
    expect(imgs.every((i) => i.getAttribute('src')!.startsWith('exhibit://localhost/capture/'))).toBe(true);
    expect(target.querySelector('img[src="x"]')).toBeNull();

    app.go('custody');
    await settle();
    expect(q(target, 'chain-status')!.textContent).toContain('Chain intact (1 event)');
    expect(q(target, 'custody-row')!.textContent).toContain(EVIL);
    expect(target.querySelector('img[src="x"]')).toBeNull();
  });

  it('a path is only ever what the backend dialog chose: the field cannot be typed in', async () => {
    const api = fakeBackend({
      choosePath: vi.fn(async () => '/home/u/bundle.zip'),
      verifyBundle: vi.fn(async () => ({ intact: true, files_checked: 3, manifest_sha256: null, custody_head_seq: null, custody_head_hash: null, problems: [] })),
    });
    const { app, target } = mountApp(api);
    await settle();
    app.go('verify');
    await settle();
    const field = q(target, 'bundle-path') as HTMLInputElement;
    expect(field.readOnly).toBe(true);
    (q(target, 'bundle-choose') as HTMLButtonElement).click();
    await settle();
    expect(api.choosePath).toHaveBeenCalledWith('bundle', undefined);
    expect(field.value).toBe('/home/u/bundle.zip');
    (q(target, 'verify-start') as HTMLButtonElement).click();
    await settle();
    expect(api.verifyBundle).toHaveBeenCalledWith('/home/u/bundle.zip');
    expect(q(target, 'verify-result')!.getAttribute('data-intact')).toBe('true');
  });

  it('a path the backend refuses shows its code, and a cancelled dialog changes nothing', async () => {
    const api = fakeBackend({
      caseInfo: vi.fn(async () => ({ path: '/c.exhibit', title: 'Acme', captures: 0, collector: null })),
      choosePath: vi.fn(async () => null),
      importWacz: vi.fn(),
    });
    const { app, target } = mountApp(api);
    await settle();
    app.go('capture');
    await settle();
    (q(target, 'wacz-import') as HTMLButtonElement).click();
    await settle();
    expect(api.choosePath).toHaveBeenCalledWith('wacz_import');
    expect(api.importWacz).not.toHaveBeenCalled();
    expect(q(target, 'error')).toBeNull();

    vi.mocked(api.choosePath).mockResolvedValueOnce('/home/u/a.wacz');
    vi.mocked(api.importWacz).mockRejectedValueOnce({ code: 'wacz_signature_invalid', message: 'The signature does not match.' });
    (q(target, 'wacz-import') as HTMLButtonElement).click();
    await settle();
    const alert = q(target, 'error')!;
    expect(alert.getAttribute('data-code')).toBe('wacz_signature_invalid');
    expect(alert.textContent).toContain('Nothing was imported.');
    expect(q(target, 'wacz-import-result')).toBeNull();
  });

  it('a WACZ import lists each page as text and says whether it was signed', async () => {
    const report: WaczImportReport = {
      path: '/home/u/crawl.wacz',
      sha256: 'cd'.repeat(32),
      datapackage_sha256: 'ef'.repeat(32),
      software: 'Browsertrix-Crawler 1.0',
      pages: 2,
      records_checked: 7,
      unverified_records: 0,
      signature_present: true,
      signature: { method: 'domain', signer: 'archive.example.org', certificate_sha256: null, signed_at: '2026-11-28T12:00:00Z', software: null, time_stamped_at: null, time_stamp_authority: null },
      signer: 'archive.example.org',
      signed_at: '2026-11-28T12:00:00Z',
      captures: [
        { capture_id: 5, page_id: 'p1', url: 'https://a.example/1', status: 'ok', http_status: 200, title: EVIL, error: null, record_id: null },
        { capture_id: 6, page_id: 'p2', url: 'https://a.example/2', status: 'removed', http_status: 404, title: null, error: 'Not found.', record_id: null },
      ],
    };
    const api = fakeBackend({
      caseInfo: vi.fn(async () => ({ path: '/c.exhibit', title: 'Acme', captures: 0, collector: null })),
      choosePath: vi.fn(async () => '/home/u/crawl.wacz'),
      importWacz: vi.fn(async () => report),
    });
    const { app, target } = mountApp(api);
    await settle();
    app.go('capture');
    await settle();
    (q(target, 'wacz-import') as HTMLButtonElement).click();
    await settle();
    expect(api.importWacz).toHaveBeenCalledWith('/home/u/crawl.wacz');
    const result = q(target, 'wacz-import-result')!;
    expect(result.getAttribute('data-pages')).toBe('2');
    expect(result.textContent).toContain('Imported 2 pages from crawl.wacz (written by Browsertrix-Crawler 1.0; 7 WARC records checked).');
    const sig = q(target, 'wacz-import-signature')!;
    expect(sig.getAttribute('data-state')).toBe('signed');
    expect(sig.textContent).toBe('Signed by archive.example.org at 2026-11-28T12:00:00Z.');
    const rows = target.querySelectorAll('[data-testid="wacz-import-capture"]');
    expect([...rows].map((r) => r.getAttribute('data-status'))).toEqual(['ok', 'removed']);
    expect(rows[0].textContent).toContain(EVIL);
    expect(target.querySelector('img[src="x"]')).toBeNull();
    expect(api.caseInfo).toHaveBeenCalledTimes(2);
  });

  it('every input, select and textarea on the new-case form has a label', async () => {
    const { target } = mountApp(fakeBackend());
    await settle();
    (q(target, 'case-new') as HTMLButtonElement).click();
    await settle();
    const controls = [...target.querySelectorAll('input, select, textarea')];
    expect(controls.length).toBeGreaterThan(5);
    for (const c of controls) {
      const labelled =
        c.getAttribute('aria-label') || (c.id && target.querySelector(`label[for="${c.id}"]`)) || c.closest('label');
      expect(labelled, `control ${c.outerHTML} has no label`).toBeTruthy();
    }
  });
});

describe('Check this case', () => {
  const openCase = () => vi.fn(async () => ({ path: '/cases/acme.exhibit', title: 'Acme', captures: 2, collector: null }));
  const intact: CaseCheck = {
    ok: true,
    problems: [],
    pages_checked: 1234,
    captures_checked: 2,
    artifacts_checked: 9,
    bytes_checked: 5 * 1024 * 1024,
    events_checked: 5,
    custody_head: 'ab'.repeat(32),
  };

  it('is offered only with a case open', async () => {
    const api = fakeBackend({ verifyCase: vi.fn() });
    const { app, target } = mountApp(api);
    await settle();
    app.go('verify');
    await settle();
    expect(q(target, 'case-check-none')).not.toBeNull();
    expect(q(target, 'case-check-start')).toBeNull();
    expect(api.verifyCase).not.toHaveBeenCalled();
  });

  it('checks every page by default, the evidence only when asked, and says it is intact', async () => {
    const api = fakeBackend({
      caseInfo: openCase(),
      verifyCase: vi.fn(async (quick: boolean) => (quick ? { ...intact, pages_checked: 0 } : intact)),
    });
    const { app, target } = mountApp(api);
    await settle();
    app.go('verify');
    await settle();
    expect((q(target, 'case-check-every') as HTMLInputElement).checked).toBe(true);
    expect((q(target, 'case-check-quick') as HTMLInputElement).checked).toBe(false);
    (q(target, 'case-check-start') as HTMLButtonElement).click();
    await settle();
    expect(api.verifyCase).toHaveBeenLastCalledWith(false);
    const result = q(target, 'case-check-result')!;
    expect(result.getAttribute('data-ok')).toBe('true');
    expect(result.getAttribute('data-pages')).toBe('1234');
    expect(q(target, 'case-check-summary')!.textContent!.replace(/\s+/g, ' ').trim()).toBe(
      `✓ Intact: 1,234 pages, 2 captures, 9 artifacts (5.0 MB) match; custody log of 5 events unbroken; head ${'ab'.repeat(32)}.`,
    );
    expect(q(target, 'case-check-head')!.textContent).toBe('ab'.repeat(32));
    expect(q(target, 'case-check-problems')).toBeNull();

    const quick = q(target, 'case-check-quick') as HTMLInputElement;
    quick.checked = true;
    quick.dispatchEvent(new Event('change', { bubbles: true }));
    await settle();
    (q(target, 'case-check-start') as HTMLButtonElement).click();
    await settle();
    expect(api.verifyCase).toHaveBeenLastCalledWith(true);
    expect(q(target, 'case-check-result')!.getAttribute('data-pages')).toBe('0');
    expect(q(target, 'case-check-summary')!.textContent).toContain('quick check: pages that hold no evidence were not read');
  });

  it('lists each problem by its code, its message as text', async () => {
    const api = fakeBackend({
      caseInfo: openCase(),
      verifyCase: vi.fn(async () => ({
        ...intact,
        ok: false,
        problems: [
          { code: 'page_damaged', message: `Page 3 of the case file (table 'captures') is damaged. ${EVIL}` },
          { code: 'artifact_changed', capture_id: 7, artifact: 'raw-body', message: 'Its bytes no longer match.' },
        ],
      })),
    });
    const { app, target } = mountApp(api);
    await settle();
    app.go('verify');
    await settle();
    (q(target, 'case-check-start') as HTMLButtonElement).click();
    await settle();
    expect(q(target, 'case-check-result')!.getAttribute('data-ok')).toBe('false');
    const rows = [...target.querySelectorAll('[data-testid="case-check-problem"]')];
    expect(rows.map((r) => r.getAttribute('data-code'))).toEqual(['page_damaged', 'artifact_changed']);
    expect(rows[0].textContent).toContain('Damaged page');
    expect(rows[0].textContent).toContain(EVIL);
    expect(rows[1].textContent).toContain('capture #7 · raw-body');
    expect(target.querySelector('img[src="x"]')).toBeNull();
    expect(q(target, 'case-check-advice')!.textContent).toMatch(/damaged on disk/);
  });

  it('shows a refusal by its code and keeps no stale result', async () => {
    const api = fakeBackend({
      caseInfo: openCase(),
      verifyCase: vi.fn(async () => intact),
    });
    const { app, target } = mountApp(api);
    await settle();
    app.go('verify');
    await settle();
    (q(target, 'case-check-start') as HTMLButtonElement).click();
    await settle();
    expect(q(target, 'case-check-result')).not.toBeNull();
    vi.mocked(api.verifyCase).mockRejectedValueOnce({ code: 'busy', message: 'A capture batch is running.' });
    (q(target, 'case-check-start') as HTMLButtonElement).click();
    await settle();
    const alert = q(target, 'error')!;
    expect(alert.getAttribute('data-code')).toBe('busy');
    expect(alert.textContent).toContain('The case was not checked.');
    expect(alert.textContent).toContain('A capture batch is running.');
    expect(q(target, 'case-check-result')).toBeNull();
  });
});

// ---- the Campaign step ----

function campaignBackend(over: Partial<Backend> = {}) {
  const listing = (id: number, listing_id: string, title: string): ListingView => ({
    id,
    marketplace: 'taobao',
    listing_id,
    seller_id: '57299736',
    seller: EVIL,
    captures: 1,
    last_status: 'ok',
    last_captured_at: '2026-12-01T10:00:00Z',
    first_captured_at: '2026-12-01T10:00:00Z',
    last_capture_id: id * 10,
    title,
    url: `https://item.taobao.com/item.htm?id=${listing_id}`,
  });
  const listings = [listing(1, '562283240178', EVIL), listing(2, '605258110430', 'ACME 露营灯')];
  const filing: FilingView = {
    id: 1,
    venue: 'alibaba-ipp',
    reference: 'IPP-2026-0001',
    filed_on: '2026-12-01',
    export_sha256: null,
    recorded_at: '2026-12-01T12:00:00.000Z',
    listings: [
      { listing: 1, listing_id: '562283240178', marketplace: 'taobao', url: null, capture_id: 10, outcome: 'pending', outcomes: [] },
      {
        listing: 2,
        listing_id: '605258110430',
        marketplace: 'taobao',
        url: null,
        capture_id: 20,
        outcome: 'rejected',
        outcomes: [{ id: 1, outcome: 'rejected', on_date: '2026-12-02', reason: EVIL, attachment: null, attachment_sha256: null, recorded_at: '' }],
      },
    ],
    deadlines: [
      { what: 'first counter-notice', closes_on: '2026-12-04', days_left: 1, open: true },
      { what: 'last counter-notice', closes_on: '2027-01-07', days_left: 35, open: true },
    ],
  };
  const old: FilingView = {
    ...filing,
    id: 2,
    reference: 'IPP-2026-0000',
    filed_on: '2026-10-01',
    listings: [filing.listings[0]],
    deadlines: [{ what: 'last counter-notice', closes_on: '2026-11-09', days_left: -22, open: false }],
  };
  const stats: Stats = {
    since: null,
    today: '2026-12-03',
    reported: 3,
    removed: 1,
    removed_by_word_only: 0,
    removed_but_live: 1,
    rejected: 1,
    counter_noticed: 0,
    counter_notice_succeeded: 0,
    reinstated: 0,
    pending: 1,
    takedown_rate: 1 / 3,
    counter_notice_success_rate: 0,
    median_days_to_removal: 2,
    stay_down_rate: null,
    stay_down_days: 30,
    stay_down_eligible: 0,
    relisted: 0,
    relisting_rate: 0,
    by_venue: { 'alibaba-ipp': { reported: 3, removed: 1, removed_by_word_only: 0, removed_but_live: 1, rejected: 1, counter_noticed: 0, counter_notice_succeeded: 0, reinstated: 0, pending: 1, takedown_rate: 1 / 3, counter_notice_success_rate: 0 } },
    by_marketplace: {},
    by_seller: {},
    repeat_sellers: [],
    good_faith: { from: '2026-09-03', to: '2026-12-03', reported: 3, takedown_rate: 1 / 3, takedown_rate_needed: 0.9, counter_notice_success_rate: 0, counter_notice_success_rate_allowed: 0.05, meets: false },
  };
  const history = (id: number): ListingHistory => ({
    listing: listings[id - 1],
    captures: [
      { capture_id: id * 10, captured_at: '2026-12-01T10:00:00Z', mode: 'browser', status: 'ok', title: EVIL, price: '89.00', currency: 'CNY', seller_id: '57299736', seller: EVIL, image_sha256: null, changed: [] },
    ],
    filings: [],
  });
  return fakeBackend({
    caseInfo: vi.fn(async () => ({ path: '/c.exhibit', title: 'Acme', captures: 2, collector: null })),
    listings: vi.fn(async () => listings),
    filings: vi.fn(async () => [filing, old]),
    stats: vi.fn(async () => stats),
    relistings: vi.fn(async (): Promise<Relistings> => ({
      threshold: 10,
      algorithm: 'dhash-64',
      confirmed: 0,
      hashed_now: 0,
      candidates: [
        {
          original: 1,
          relisting: 2,
          marketplace: 'taobao',
          original_listing_id: '562283240178',
          relisting_listing_id: '605258110430',
          removed_on: '2026-12-02T10:00:00Z',
          first_seen: '2026-12-03T10:00:00Z',
          reasons: [{ kind: 'same_seller_id', seller_id: '57299736' }, { kind: 'same_title', title: EVIL }],
          state: 'suggested',
        },
      ],
    })),
    listingHistory: vi.fn(async (id: number) => history(id)),
    timeline: vi.fn(async (): Promise<Timeline> => CAMPAIGN_TIMELINE),
    sellers: vi.fn(async (): Promise<SellerView[]> => [
      { marketplace: 'taobao', seller_id: '57299736', name: EVIL, listings: [1, 2], first_seen: '2026-12-01T10:00:00Z', last_seen: '2026-12-03T10:00:00Z' },
      { marketplace: 'amazon', seller_id: null, name: 'Lamp Shop', listings: [3], first_seen: '2026-11-20T08:00:00Z', last_seen: '2026-11-20T08:00:00Z' },
    ]),
    addFiling: vi.fn(async () => ({ ...filing, id: 3, reference: 'VERO-1', venue: 'ebay-vero', deadlines: [] })),
    recordOutcome: vi.fn(async () => filing),
    decideRelisting: vi.fn(async () => ({ ...(await campaignCandidate()), state: 'confirmed' as const })),
    startRecapture: vi.fn(async () => ({ job_id: 9 })),
    cancelRecapture: vi.fn(async () => null),
    choosePath: vi.fn(async () => '/home/u/answer.eml'),
    ...over,
  });
}

/** The facade's weeks (as `timeline()` gives them): not what the filings alone would say. */
const CAMPAIGN_TIMELINE: Timeline = {
  today: '2026-12-03',
  weeks: [
    { monday: '2026-09-28', filed: 1, removed: 0, relisted: 0, still_live: 1 },
    { monday: '2026-10-05', filed: 0, removed: 1, relisted: 0, still_live: 0 },
    { monday: '2026-11-30', filed: 2, removed: 1, relisted: 1, still_live: 3 },
  ],
};

async function campaignCandidate() {
  return {
    original: 1,
    relisting: 2,
    marketplace: 'taobao',
    original_listing_id: '562283240178',
    relisting_listing_id: '605258110430',
    removed_on: '2026-12-02T10:00:00Z',
    first_seen: '2026-12-03T10:00:00Z',
    reasons: [],
  };
}

describe('Campaign', () => {
  it('shows filings with deadline chips that say their state, and captured text only as text', async () => {
    const api = campaignBackend();
    const { app, target } = mountApp(api);
    await settle();
    app.go('campaign');
    await settle();
    const chips = [...target.querySelectorAll('[data-testid="deadline-chip"]')];
    expect(chips.map((c) => c.getAttribute('data-tone'))).toEqual(['soon', 'neutral', 'closed']);
    expect(chips[0].textContent).toContain('Closes tomorrow');
    expect(chips[2].textContent).toContain('Closed');
    expect(target.querySelectorAll('[data-testid="filing"]')).toHaveLength(2);
    expect(q(target, 'outcome-row')!.textContent).toContain(EVIL);
    expect(target.querySelector('img[src="x"]')).toBeNull();
    expect(target.querySelector('[onerror]')).toBeNull();
    // The relisting pair, side by side, with its reasons in words.
    expect(target.querySelectorAll('[data-testid="relisting-side"]')).toHaveLength(2);
    const reasons = [...target.querySelectorAll('[data-testid="relisting-reason"]')].map((r) => r.textContent);
    expect(reasons[0]).toContain('same seller id');
    expect(reasons[1]).toContain(EVIL);
    expect(q(target, 'relisting-title')!.textContent).toBe(EVIL);
    // The figures and the chart.
    expect(q(target, 'figure-takedown-rate')!.textContent).toContain('33.3 %');
    expect(q(target, 'good-faith')!.getAttribute('data-meets')).toBe('false');
    expect(q(target, 'timeline-chart')!.querySelectorAll('rect').length).toBeGreaterThan(0);
    expect(app.done.has('campaign')).toBe(true);
  });

  it('records an outcome with the answer chosen in the backend dialog', async () => {
    const api = campaignBackend();
    const { app, target } = mountApp(api);
    await settle();
    app.go('campaign');
    await settle();
    (q(target, 'outcome-open') as HTMLButtonElement).click();
    await settle();
    (q(target, 'outcome-attach-choose') as HTMLButtonElement).click();
    await settle();
    expect(api.choosePath).toHaveBeenCalledWith('outcome_answer', undefined);
    type(q(target, 'outcome-reason'), 'Taken down.');
    (q(target, 'outcome-save') as HTMLButtonElement).click();
    await settle();
    expect(api.recordOutcome).toHaveBeenCalledWith(
      expect.objectContaining({ filing: 1, listing: 1, outcome: 'removed', reason: 'Taken down.', attach: '/home/u/answer.eml' }),
    );
  });

  it('refuses a filing without listings, then records one with those ticked', async () => {
    const api = campaignBackend();
    const { app, target } = mountApp(api);
    await settle();
    app.go('campaign');
    await settle();
    type(q(target, 'filing-reference'), 'VERO-1');
    (q(target, 'filing-save') as HTMLButtonElement).click();
    await settle();
    expect(api.addFiling).not.toHaveBeenCalled();
    expect(q(target, 'error')!.textContent).toContain('Tick the listings');
    const box = target.querySelector('[data-testid="filing-listing"][data-listing="2"]') as HTMLInputElement;
    box.click();
    await settle();
    (q(target, 'filing-save') as HTMLButtonElement).click();
    await settle();
    expect(api.addFiling).toHaveBeenCalledWith(expect.objectContaining({ reference: 'VERO-1', listings: [2] }));
    expect(q(target, 'filing-note')!.textContent).toContain('VERO-1');
  });

  it('runs a recapture with progress and shows STILL LIVE first', async () => {
    const api = campaignBackend();
    const { app, target } = mountApp(api);
    await settle();
    app.go('campaign');
    await settle();
    (q(target, 'recapture-start') as HTMLButtonElement).click();
    await settle();
    expect(api.startRecapture).toHaveBeenCalledWith({});
    expect(q(target, 'recapture-cancel')).not.toBeNull();
    app.recaptureProgress({ job_id: 9, index: 0, url: 'u1', state: 'ok', capture_id: 30 });
    await settle();
    expect((q(target, 'recapture-progress') as HTMLProgressElement).value).toBe(50);
    const r = (listing: number, result: RecaptureResult['result'], said: boolean): RecaptureResult => ({
      listing,
      listing_id: said ? EVIL : String(listing),
      marketplace: 'taobao',
      url: 'u',
      mode: 'http',
      capture_id: 30,
      status: result === 'live' ? 'ok' : 'removed',
      result,
      changed: [],
      said_removed: said ? [{ filing: 1, venue: 'alibaba-ipp', reference: 'IPP-2026-0001', on_date: '2026-12-02' }] : [],
      message: EVIL,
    });
    app.recaptureDone({
      job_id: 9,
      summary: { total: 2, live: 1, removed: 1, blocked: 0, failed: 0, live_though_said_removed: 1, cancelled: 0, elapsed_ms: 10 },
      results: [r(1, 'removed', false), r(2, 'live', true)],
      cancelled: false,
    });
    await settle();
    const lines = [...target.querySelectorAll('[data-testid="recapture-result"]')];
    expect(lines.map((l) => l.getAttribute('data-still-live'))).toEqual(['true', 'false']);
    expect(lines[0].textContent).toContain('STILL LIVE');
    expect(lines[0].textContent).toContain(EVIL);
    expect(q(target, 'recapture-summary')!.textContent).toContain('1 although the platform said removed');
    expect(q(target, 'recapture-cancel')).toBeNull();
  });

  it("draws the facade's weeks, bar for bar, and counts nothing itself", async () => {
    const api = campaignBackend();
    const { app, target } = mountApp(api);
    await settle();
    app.go('campaign');
    await settle();
    expect(api.timeline).toHaveBeenCalled();
    const chart = q(target, 'timeline-chart')!;
    expect(chart.getAttribute('data-weeks')).toBe('3');
    const bars = [...chart.querySelectorAll('[data-testid="timeline-bar"]')].map((b) => [
      b.getAttribute('data-monday'),
      b.getAttribute('data-series'),
      Number(b.getAttribute('data-value')),
    ]);
    const want = CAMPAIGN_TIMELINE.weeks.flatMap((w) =>
      (['filed', 'removed', 'relisted', 'still_live'] as const).map((k) => [w.monday, k, w[k]]),
    );
    expect(bars).toEqual(want);
    // Taller bars for larger figures, on one scale (the largest, 3, is the full height).
    const h = (monday: string, series: string) =>
      Number(chart.querySelector(`[data-monday="${monday}"][data-series="${series}"]`)!.getAttribute('height'));
    expect(h('2026-11-30', 'still_live')).toBeCloseTo(3 * h('2026-09-28', 'filed'));
    expect(h('2026-10-05', 'filed')).toBe(0);
    // The screen reader's table has the same figures.
    const rows = [...chart.querySelectorAll('[data-testid="timeline-row"]')].map((r) => [...r.querySelectorAll('td')].map((c) => c.textContent));
    expect(rows[2]).toEqual(['2026-11-30', '2', '1', '1', '3']);
  });

  it("recaptures one filing's listings from its card, and a chosen set in a chosen mode", async () => {
    const api = campaignBackend();
    const { app, target } = mountApp(api);
    await settle();
    app.go('campaign');
    await settle();
    const card = target.querySelector('[data-testid="filing"][data-filing-id="2"]')!;
    const button = card.querySelector('[data-testid="filing-recapture"]') as HTMLButtonElement;
    expect(button.textContent).toContain('Recapture its 1 listing');
    button.click();
    await settle();
    expect(api.startRecapture).toHaveBeenLastCalledWith({ filing: 2 });
    expect(app.recap.total).toBe(1);
    expect(button.textContent).toContain('Recapturing');
    // Every card waits while it runs.
    expect([...target.querySelectorAll('[data-testid="filing-recapture"]')].every((b) => (b as HTMLButtonElement).disabled)).toBe(true);
    app.recaptureDone({
      job_id: 9,
      summary: { total: 1, live: 1, removed: 0, blocked: 0, failed: 0, live_though_said_removed: 0, cancelled: 0, elapsed_ms: 10 },
      results: [],
      cancelled: false,
    });
    await settle();
    // These listings, over HTTP.
    (q(target, 'recapture-scope-chosen') as HTMLInputElement).click();
    await settle();
    (target.querySelector('[data-testid="recapture-listing"][data-listing="2"]') as HTMLInputElement).click();
    const mode = q(target, 'recapture-mode') as HTMLSelectElement;
    mode.value = 'http';
    mode.dispatchEvent(new Event('change', { bubbles: true }));
    await settle();
    expect(q(target, 'recapture-start')!.textContent).toContain('Recapture 1 listing');
    (q(target, 'recapture-start') as HTMLButtonElement).click();
    await settle();
    expect(api.startRecapture).toHaveBeenLastCalledWith({ listings: [2], mode: 'http' });
    app.recaptureDone({
      job_id: 9,
      summary: { total: 1, live: 1, removed: 0, blocked: 0, failed: 0, live_though_said_removed: 0, cancelled: 0, elapsed_ms: 10 },
      results: [],
      cancelled: false,
    });
    await settle();
    (q(target, 'recapture-scope-all') as HTMLInputElement).click();
    await settle();
    (q(target, 'recapture-start') as HTMLButtonElement).click();
    await settle();
    expect(api.startRecapture).toHaveBeenLastCalledWith({ all: true, mode: 'http' });
  });

  it("starts the image threshold at the facade's default, compares again at another, and decides at it", async () => {
    const api = campaignBackend({
      relistings: vi.fn(async (threshold?: number): Promise<Relistings> => ({
        threshold: threshold ?? 13,
        algorithm: 'dhash-64',
        confirmed: 0,
        hashed_now: 0,
        candidates: threshold === 2 ? [] : [{ ...(await campaignCandidate()), state: 'suggested' as const, reasons: [{ kind: 'same_image', original_capture: 10, candidate_capture: 20, distance: 5, algorithm: 'dhash-64' }] }],
      })),
    });
    const { app, target } = mountApp(api);
    await settle();
    app.go('campaign');
    await settle();
    // The first list is asked without a threshold: the facade's default (13 here) is shown.
    expect(api.relistings).toHaveBeenCalledWith(undefined);
    const input = q(target, 'threshold-input') as HTMLInputElement;
    expect(input.value).toBe('13');
    expect(q(target, 'threshold-form')!.getAttribute('data-default')).toBe('13');
    expect(q(target, 'threshold-reset')).toBeNull();
    type(input, '2');
    (q(target, 'threshold-apply') as HTMLButtonElement).click();
    await settle();
    expect(api.relistings).toHaveBeenLastCalledWith(2);
    expect(q(target, 'threshold-form')!.getAttribute('data-threshold')).toBe('2');
    expect(q(target, 'relistings')!.getAttribute('data-count')).toBe('0');
    expect(q(target, 'threshold-reset')!.textContent).toContain('13');
    type(input, '7');
    (q(target, 'threshold-apply') as HTMLButtonElement).click();
    await settle();
    (q(target, 'relisting-confirm') as HTMLButtonElement).click();
    await settle();
    expect(api.decideRelisting).toHaveBeenCalledWith(1, 2, true, 7);
    // A refusal from the facade is shown, and the last list stays.
    vi.mocked(api.relistings).mockRejectedValueOnce({ code: 'bad_input', message: '--threshold is a number of differing bits out of 64, at most 32.' });
    type(input, '40');
    (q(target, 'threshold-apply') as HTMLButtonElement).click();
    await settle();
    expect(q(target, 'error')!.textContent).toContain('at most 32');
    expect(q(target, 'threshold-form')!.getAttribute('data-threshold')).toBe('7');
  });

  it('asks the facade for the figures from the day chosen, everywhere, and for all of them once cleared', async () => {
    // The facade's answer for each day: the UI counts nothing itself.
    const all = await campaignBackend().stats();
    const stats = vi.fn(async (since?: string): Promise<Stats> => {
      if (since === '20260-01-01') throw { code: 'bad_input', message: "--since takes a day such as 2026-03-01 (or an RFC 3339 time), not '20260-01-01'." };
      return since ? { ...all, since, reported: 0, removed: 0, takedown_rate: null, good_faith: null, by_venue: {} } : all;
    });
    const api = campaignBackend({ stats });
    const { app, target } = mountApp(api);
    await settle();
    app.go('campaign');
    await settle();
    const input = q(target, 'figures-since') as HTMLInputElement;
    expect(input.type).toBe('date');
    expect(input.value).toBe('');
    expect(stats.mock.calls.every((c) => c[0] === undefined)).toBe(true);
    expect(q(target, 'figures-period')!.textContent).toContain('Every filing (today 2026-12-03)');
    expect(q(target, 'figure-reported')!.getAttribute('data-value')).toBe('3');
    expect(q(target, 'figures-since-clear')).toBeNull();

    const pick = (day: string) => {
      input.value = day;
      input.dispatchEvent(new Event('change', { bubbles: true }));
    };
    pick('2099-01-01');
    await settle();
    expect(stats).toHaveBeenLastCalledWith('2099-01-01');
    expect(q(target, 'figure-reported')!.getAttribute('data-value')).toBe('0');
    const period = q(target, 'figures-period')!;
    expect(period.getAttribute('data-since')).toBe('2099-01-01');
    expect(period.textContent).toContain('Filings made on or after 2099-01-01 (today 2026-12-03)');
    expect(q(target, 'timeline-period')).not.toBeNull();

    // The figures asked again after a filing and after a decision keep the day.
    type(q(target, 'filing-reference'), 'VERO-1');
    (target.querySelector('[data-testid="filing-listing"][data-listing="2"]') as HTMLInputElement).click();
    await settle();
    const before = stats.mock.calls.length;
    (q(target, 'filing-save') as HTMLButtonElement).click();
    await settle();
    expect(stats.mock.calls.length).toBeGreaterThan(before);
    expect(stats).toHaveBeenLastCalledWith('2099-01-01');
    const decided = stats.mock.calls.length;
    (q(target, 'relisting-confirm') as HTMLButtonElement).click();
    await settle();
    expect(stats.mock.calls.length).toBeGreaterThan(decided);
    expect(stats).toHaveBeenLastCalledWith('2099-01-01');
    // And after a recapture ends (the step reads everything again).
    const reread = stats.mock.calls.length;
    app.campaignVersion++;
    await settle();
    expect(stats.mock.calls.length).toBeGreaterThan(reread);
    expect(stats).toHaveBeenLastCalledWith('2099-01-01');
    expect(q(target, 'figure-reported')!.getAttribute('data-value')).toBe('0');

    // A day the facade refuses: its own sentence, and the figures shown keep their period.
    pick('20260-01-01');
    await settle();
    expect(stats).toHaveBeenLastCalledWith('20260-01-01');
    expect(q(target, 'figures')!.querySelector('[data-testid="error"]')!.textContent).toContain(
      "--since takes a day such as 2026-03-01 (or an RFC 3339 time), not '20260-01-01'.",
    );
    expect(q(target, 'figures-period')!.getAttribute('data-since')).toBe('2099-01-01');

    // Cleared: no day is sent, and every filing is counted again.
    pick('');
    await settle();
    expect(stats.mock.lastCall).toEqual([undefined]);
    expect(q(target, 'figures')!.querySelector('[data-testid="error"]')).toBeNull();
    expect(q(target, 'figure-reported')!.getAttribute('data-value')).toBe('3');
    expect(q(target, 'figures-period')!.textContent).toContain('Every filing');
    expect(q(target, 'timeline-period')).toBeNull();
    // "All time" clears it the same way.
    pick('2026-11-01');
    await settle();
    expect(stats).toHaveBeenLastCalledWith('2026-11-01');
    (q(target, 'figures-since-clear') as HTMLButtonElement).click();
    await settle();
    expect(stats.mock.lastCall).toEqual([undefined]);
    expect(input.value).toBe('');
  });

  it('lists each seller with its listings and when it was seen, names as text only', async () => {
    const api = campaignBackend();
    const { app, target } = mountApp(api);
    await settle();
    app.go('campaign');
    await settle();
    expect(api.sellers).toHaveBeenCalled();
    const rows = [...target.querySelectorAll('[data-testid="seller"]')];
    expect(rows).toHaveLength(2);
    expect(rows[0].getAttribute('data-seller-id')).toBe('57299736');
    expect(rows[0].querySelector('[data-testid="seller-name"]')!.textContent).toBe(EVIL);
    expect(rows[0].querySelector('[data-testid="seller-count"]')!.textContent).toBe('2');
    expect(rows[0].querySelector('[data-testid="seller-first-seen"] time')!.getAttribute('datetime')).toBe('2026-12-01T10:00:00.000Z');
    expect(rows[1].querySelector('[data-testid="seller-id"]')!.textContent).toBe('—');
    expect(rows[1].querySelector('[data-testid="seller-listing"]')!.textContent!.trim()).toBe('#3');
    expect(target.querySelector('img[src="x"]')).toBeNull();
    // A listing opens its history.
    (rows[0].querySelector('[data-testid="seller-listing"][data-listing="2"]') as HTMLButtonElement).click();
    await settle();
    expect(q(target, 'listing-history')!.getAttribute('data-listing')).toBe('2');
  });

  it('records a test purchase from a seller, shows it as text only, and shows a refusal as its sentence', async () => {
    const made: PurchaseView = {
      id: 7,
      listing: 1,
      listing_id: '562283240178',
      url: 'https://item.taobao.com/item.htm?id=562283240178',
      title: EVIL,
      platform: 'taobao',
      seller_id: '57299736',
      seller: EVIL,
      order_number: 'TB-1',
      ordered_on: '2026-12-01',
      buyer: 'shopper.lin',
      amount: '12.50',
      currency: 'USD',
      payment_last4: '4242',
      ship_to: 'Chicago, IL, US',
      ship_to_region: 'US-IL',
      recorded_at: '2026-12-01T10:00:00Z',
      tracking: null,
      carrier: null,
      ship_from: null,
      delivered_on: null,
      updates: [],
      files: [{ id: 1, kind: 'product-photo', file_name: EVIL, media_type: 'image/jpeg', size: 9, sha256: 'cd'.repeat(32), added_at: '2026-12-01T10:00:00Z' }],
      verdict: null,
      custody: [],
    };
    const defendant: DefendantView = {
      doe: 1,
      marketplace: 'taobao',
      seller_id: '57299736',
      alias: EVIL,
      store_url: null,
      listings: [],
      storefront: null,
      checkout: null,
      purchases: [],
      blocked_listings: [],
      missing: [{ doe: 1, code: 'no_location', message: `Doe 1 (${EVIL}): no storefront or seller profile page is captured.` }],
    };
    const addPurchase = vi.fn(async (r: { amount: string }) => {
      if (r.amount.startsWith('-')) throw { code: 'bad_input', message: 'The amount -1 is negative; give what was paid, such as 12.50.' };
      return made;
    });
    const purchaseVerdict = vi.fn(async () => {
      throw { code: 'bad_input', message: 'Purchase 7 already has its verdict (genuine, by J); a verdict is given once and never changed.' };
    });
    const api = campaignBackend({
      addPurchase,
      purchaseVerdict,
      defendants: vi.fn(async () => [defendant]),
    } as unknown as Partial<Backend>);
    const { app, target } = mountApp(api);
    await settle();
    app.go('campaign');
    await settle();
    const defendantRow = q(target, 'seller-defendant')!;
    expect(defendantRow.getAttribute('data-missing')).toBe('no_location');
    expect(q(defendantRow, 'seller-missing')!.textContent).toContain(EVIL);
    expect(q(defendantRow, 'seller-storefront')!.textContent).toContain('Not captured yet.');
    (q(target, 'seller-record-purchase') as HTMLButtonElement).click();
    await settle();
    const form = q(target, 'purchase-form')!;
    // The seller's listings only, the first chosen.
    expect([...form.querySelectorAll('#purchase-listing option')].map((o) => (o as HTMLOptionElement).value)).toEqual(['1', '2']);
    expect(form.textContent).toContain("Never the brand's own account");
    type(q(form, 'purchase-order'), 'TB-1');
    type(q(form, 'purchase-amount'), '-1');
    type(q(form, 'purchase-ship-to'), 'Chicago, IL, US');
    (q(form, 'purchase-save') as HTMLButtonElement).click();
    await settle();
    expect(q(target, 'purchase-form-error')!.textContent).toContain('The amount -1 is negative; give what was paid, such as 12.50.');
    type(q(form, 'purchase-amount'), '12.50');
    (q(form, 'purchase-save') as HTMLButtonElement).click();
    await settle();
    expect(addPurchase).toHaveBeenLastCalledWith({
      listing: 1,
      order: 'TB-1',
      date: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
      amount: '12.50',
      currency: 'USD',
      ship_to: 'Chicago, IL, US',
    });
    expect(q(target, 'purchase-form')).toBeNull();
    const card = q(target, 'purchase')!;
    expect(card.getAttribute('data-order')).toBe('TB-1');
    expect(q(card, 'purchase-file')!.getAttribute('data-name')).toBe(EVIL);
    expect(q(card, 'purchase-file')!.textContent).toContain('cdcdcdcdcdcd…');
    expect(q(target, 'seller-purchase')!.getAttribute('data-order')).toBe('TB-1');
    expect(target.querySelector('img[src="x"]')).toBeNull();
    // A refusal of the verdict shows as its sentence in the card.
    (q(card, 'purchase-open-verdict') as HTMLButtonElement).click();
    await settle();
    type(q(card, 'verdict-by'), 'Jane');
    type(q(card, 'verdict-method'), 'side by side');
    (q(card, 'verdict-save') as HTMLButtonElement).click();
    await settle();
    expect(q(card, 'purchase-error')!.textContent).toContain('a verdict is given once and never changed.');
  });
});
