import { describe, expect, it, vi } from 'vitest';
import { AppState, type Backend } from './app.svelte';
import { canDiscover, discoveryLine, newCount, takenLabel } from './discovery';
import {
  FILE_KINDS,
  VERDICTS,
  amountText,
  baseName,
  emptyHandoverForm,
  emptyPurchaseForm,
  emptyShippingForm,
  fileKindLabel,
  formForSeller,
  handoverRequest,
  localToUtc,
  purchaseRequest,
  purchasesOf,
  shippingRequest,
  shortSha,
  verdictLabel,
  verdictRequest,
  withPurchase,
} from './purchases';
import { checkoutText, defendantFor, storefrontText } from './defendants';
import type { DefendantView, Discovery, EvidencePage, PurchaseView, SellerView } from './types';

function purchase(over: Partial<PurchaseView> = {}): PurchaseView {
  return {
    id: 1,
    listing: 10,
    listing_id: '562283240178',
    url: 'https://item.taobao.com/item.htm?id=562283240178',
    title: 'ACME lantern',
    platform: 'taobao',
    seller_id: 's1',
    seller: 'cheap-lanterns',
    order_number: 'TB-1',
    ordered_on: '2026-03-01',
    buyer: null,
    amount: '12.50',
    currency: 'USD',
    payment_last4: null,
    ship_to: 'Chicago, IL, US',
    ship_to_region: 'US-IL',
    recorded_at: '2026-03-01T10:00:00Z',
    tracking: null,
    carrier: null,
    ship_from: null,
    delivered_on: null,
    updates: [],
    files: [],
    verdict: null,
    custody: [],
    ...over,
  };
}

describe('purchase words', () => {
  it('names every file kind and verdict the facade knows, in its order', () => {
    expect(FILE_KINDS.map((k) => k.value)).toEqual(['order', 'receipt', 'label', 'parcel-photo', 'product-photo', 'comparison']);
    expect(VERDICTS.map((v) => v.value)).toEqual(['counterfeit', 'genuine', 'inconclusive']);
    expect(fileKindLabel('label')).toBe('Shipping label');
    expect(fileKindLabel('something-new')).toBe('something-new');
    expect(verdictLabel('counterfeit')).toBe('Counterfeit');
    expect(shortSha('a'.repeat(64))).toBe(`${'a'.repeat(12)}…`);
    expect(amountText(purchase())).toBe('12.50 USD');
    expect(baseName('/home/u/Pictures/IMG_0001.jpg')).toBe('IMG_0001.jpg');
    expect(baseName('C:\\Users\\u\\label.pdf')).toBe('label.pdf');
  });
});

describe('purchase requests', () => {
  it('asks for a listing, and otherwise sends what was typed, trimmed, blanks left out', () => {
    expect(purchaseRequest(emptyPurchaseForm(null, '2026-03-01'))).toBe('Choose the listing the test purchase was made on.');
    const form = { ...emptyPurchaseForm(10, '2026-03-01'), order: ' TB-1 ', amount: '-3', shipTo: ' Chicago, IL, US ', buyer: '  ', payment: '4242' };
    // A negative amount is the facade's to refuse, in its own words.
    expect(purchaseRequest(form)).toEqual({
      listing: 10,
      order: 'TB-1',
      date: '2026-03-01',
      amount: '-3',
      currency: 'USD',
      ship_to: 'Chicago, IL, US',
      payment: '4242',
    });
  });

  it('sends only the shipping facts given', () => {
    expect(shippingRequest(3, { ...emptyShippingForm(), tracking: ' LP1 ', delivered: '2026-03-09' })).toEqual({
      purchase: 3,
      tracking: 'LP1',
      delivered: '2026-03-09',
    });
    expect(shippingRequest(3, emptyShippingForm())).toEqual({ purchase: 3 });
  });

  it('trims the verdict and turns a local handover time into UTC', () => {
    expect(verdictRequest(3, 'genuine', ' Jane ', ' side by side ')).toEqual({ purchase: 3, verdict: 'genuine', by: 'Jane', method: 'side by side' });
    const local = '2026-03-01T14:30';
    const expected = new Date(local).toISOString().replace(/\.\d{3}Z$/, 'Z');
    expect(localToUtc(local)).toBe(expected);
    expect(localToUtc('2026-03-01')).toBe('2026-03-01');
    expect(localToUtc('yesterday')).toBe('yesterday');
    expect(handoverRequest(3, { ...emptyHandoverForm(), from: ' Courier ', to: 'Jane', at: '2026-03-01', place: 'Office', seal: ' S-1 ' })).toEqual({
      purchase: 3,
      from: 'Courier',
      to: 'Jane',
      at: '2026-03-01',
      place: 'Office',
      seal: 'S-1',
    });
  });
});

describe('purchases and sellers', () => {
  it("finds a seller's purchases and opens the form on its listings", () => {
    const all = [purchase({ id: 1, listing: 10 }), purchase({ id: 2, listing: 11 }), purchase({ id: 3, listing: 12 })];
    expect(purchasesOf({ listings: [10, 12] }, all).map((p) => p.id)).toEqual([1, 3]);
    expect(formForSeller({ listings: [12, 10] })).toEqual({ listings: [12, 10], listing: 12 });
    expect(formForSeller({ listings: [] })).toEqual({ listings: [], listing: null });
  });

  it('replaces a changed purchase in place and adds a new one at the end', () => {
    const all = [purchase({ id: 1 }), purchase({ id: 2 })];
    expect(withPurchase(all, purchase({ id: 1, tracking: 'T' })).map((p) => [p.id, p.tracking])).toEqual([
      [1, 'T'],
      [2, null],
    ]);
    expect(withPurchase(all, purchase({ id: 3 })).map((p) => p.id)).toEqual([1, 2, 3]);
  });
});

function discovery(inCase: boolean[]): Discovery {
  return {
    capture_id: 7,
    page_kind: 'search',
    marketplace: 'ebay',
    page_url: 'https://www.ebay.com/sch/i.html',
    read_from: 'body',
    listings: inCase.map((held, i) => ({
      url: `https://www.ebay.com/itm/${i}`,
      marketplace: 'ebay',
      listing_id: String(i),
      in_case: held,
      case_listing: held ? i + 100 : null,
    })),
    in_case: inCase.filter(Boolean).length,
    cut: false,
    notes: [],
  };
}

describe('discovery', () => {
  it('is offered on store and search pages only', () => {
    expect(canDiscover('store')).toBe(true);
    expect(canDiscover('search')).toBe(true);
    expect(canDiscover('listing')).toBe(false);
    expect(canDiscover(null)).toBe(false);
  });

  it('says what the page links to and what is new', () => {
    expect(discoveryLine(discovery([]))).toBe('This page links to no listing Exhibit recognises.');
    expect(discoveryLine(discovery([false, false]))).toBe('This search page links to 2 listings; none is in the case yet.');
    expect(discoveryLine(discovery([true, false, false]))).toBe('This search page links to 3 listings; 1 is in the case already, 2 are new.');
    expect(discoveryLine(discovery([true]))).toBe('This search page links to 1 listing; the case holds every one already.');
    expect(newCount(discovery([true, false, false]))).toBe(2);
    expect(takenLabel('queued')).toBe('Queued');
    expect(takenLabel('ok')).toBe('OK');
    expect(takenLabel('cancelled')).toBe('Not taken (cancelled)');
  });

  it('captures the new listings as a batch in the queue, named as the backend found them', async () => {
    const api = {
      caseInfo: vi.fn(async () => null),
      startCaptureDiscovered: vi.fn(async () => ({ batch_id: 9, urls: ['https://www.ebay.com/itm/2'] })),
    } as unknown as Backend;
    const app = new AppState(api);
    const started = await app.startDiscovered(7, ['https://www.ebay.com/itm/1', 'https://www.ebay.com/itm/2'], 'http');
    expect(started).toEqual({ batchId: 9, error: null });
    expect(api.startCaptureDiscovered).toHaveBeenCalledWith(7, 'http');
    // The backend took one (the other came into the case meanwhile): the queue shows that one.
    expect(app.queue.rows.map((r) => [r.url, r.batchId, r.state])).toEqual([['https://www.ebay.com/itm/2', 9, 'queued']]);
    app.captureProgress({ batch_id: 9, index: 0, url: 'https://www.ebay.com/itm/2', state: 'ok', capture_id: 4 });
    expect(app.queue.rows[0].state).toBe('ok');
  });

  it('shows the refusal and marks the rows failed when the batch cannot start', async () => {
    const api = {
      startCaptureDiscovered: vi.fn(async () => {
        throw { code: 'busy', message: 'Another job is running. Wait for it to finish, or cancel it, and try again.' };
      }),
    } as unknown as Backend;
    const app = new AppState(api);
    const started = await app.startDiscovered(7, ['https://www.ebay.com/itm/1'], 'http');
    expect(started.batchId).toBeNull();
    expect(started.error?.code).toBe('busy');
    expect(app.queue.rows.map((r) => r.state)).toEqual(['failed']);
  });
});

describe('sellers as defendants', () => {
  const seller = (o: Partial<SellerView> = {}): SellerView => ({
    marketplace: 'taobao',
    seller_id: '64592671',
    name: 'KBDfans',
    listings: [1],
    first_seen: '2026-03-01T00:00:00Z',
    last_seen: '2026-03-01T00:00:00Z',
    ...o,
  });
  const defendant = (o: Partial<DefendantView> = {}): DefendantView => ({
    doe: 1,
    marketplace: 'taobao',
    seller_id: '64592671',
    alias: 'KBDfans',
    store_url: null,
    listings: [],
    storefront: null,
    checkout: null,
    purchases: [],
    blocked_listings: [],
    missing: [],
    ...o,
  });
  const page = (o: Partial<EvidencePage>): EvidencePage => ({
    exhibit: null,
    capture_id: 4,
    url: 'https://shop.example/',
    captured_at: '2026-03-01T00:00:00Z',
    store: null,
    checkout: null,
    screenshot: null,
    ...o,
  });

  it('matches a seller row to its defendant by id, or by name when there is none', () => {
    const all = [defendant({ doe: 1 }), defendant({ doe: 2, seller_id: null, alias: 'Lantern World' }), defendant({ doe: 3, marketplace: 'amazon' })];
    expect(defendantFor(seller(), all)?.doe).toBe(1);
    expect(defendantFor(seller({ seller_id: null, name: 'Lantern World' }), all)?.doe).toBe(2);
    expect(defendantFor(seller({ seller_id: 'other' }), all)).toBeNull();
    expect(defendantFor(seller({ marketplace: 'ebay' }), all)).toBeNull();
  });

  it('says what the storefront and checkout show, in plain words', () => {
    expect(storefrontText(null)).toBe('Not captured yet.');
    expect(checkoutText(null)).toBe('Not captured yet.');
    expect(storefrontText(page({ store: { shop_name: 'ACME Lights Store', business_name: 'Yiwu Co., Ltd.', address: 'Yiwu, Zhejiang, CN', rating: '96.8%' } }))).toBe(
      'Yiwu Co., Ltd., ACME Lights Store, Yiwu, Zhejiang, CN (rated 96.8%). Capture 4.',
    );
    expect(storefrontText(page({ store: { shop_name: 'ACME Lights Store' } }))).toBe('ACME Lights Store, no location shown. Capture 4.');
    expect(checkoutText(page({ checkout: { ship_to: 'Chicago, IL 60601', ship_to_region: 'US-IL', total: '23.10', currency: 'USD' } }))).toBe(
      'Ships to Chicago, IL 60601 (US-IL), total 23.10 USD. Capture 4.',
    );
    expect(checkoutText(page({ checkout: {} }))).toBe('Does not show where it ships. Capture 4.');
  });
});
