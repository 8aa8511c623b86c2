// Test purchases in the UI: the words for the facade's file kinds and verdicts, the
// requests the forms send (blank fields left out, so the facade's own checks decide), and
// which purchases belong to a seller. Pure; the facade checks every value.

import type {
  HandoverRequest,
  PurchaseRequest,
  PurchaseUpdateRequest,
  PurchaseView,
  SellerView,
  VerdictRequest,
} from './types';

/** The facade's `PURCHASE_FILE_KINDS`, in its order, with what a person calls each. */
export const FILE_KINDS = [
  { value: 'order', label: 'Order confirmation' },
  { value: 'receipt', label: 'Payment receipt' },
  { value: 'label', label: 'Shipping label' },
  { value: 'parcel-photo', label: 'Photo of the parcel' },
  { value: 'product-photo', label: 'Photo of the product' },
  { value: 'comparison', label: 'Comparison with a genuine item' },
] as const;

/** The facade's `VERDICTS`, in its order. */
export const VERDICTS = [
  { value: 'counterfeit', label: 'Counterfeit' },
  { value: 'genuine', label: 'Genuine' },
  { value: 'inconclusive', label: 'Inconclusive' },
] as const;

export function fileKindLabel(kind: string): string {
  return FILE_KINDS.find((k) => k.value === kind)?.label ?? kind;
}

export function verdictLabel(verdict: string): string {
  return VERDICTS.find((v) => v.value === verdict)?.label ?? verdict;
}

/** A SHA-256 in the short form a table shows (the whole one is a hover away). */
export function shortSha(sha: string): string {
  return sha.length > 12 ? `${sha.slice(0, 12)}…` : sha;
}

/** A text field's value, trimmed; undefined when blank (the facade then sees none). */
function given(s: string | null | undefined): string | undefined {
  const t = (s ?? '').trim();
  return t ? t : undefined;
}

/** Only the keys with a value: the commands take a missing fact as "not given". */
function compact<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

export interface PurchaseForm {
  listing: number | null;
  order: string;
  date: string;
  amount: string;
  currency: string;
  shipTo: string;
  buyer: string;
  payment: string;
}

export function emptyPurchaseForm(listing: number | null, today: string): PurchaseForm {
  return { listing, order: '', date: today, amount: '', currency: 'USD', shipTo: '', buyer: '', payment: '' };
}

/**
 * The request `add_purchase` takes, or the one sentence that says what is missing before
 * there is anything to send (only a listing: every value is the facade's to judge).
 */
export function purchaseRequest(f: PurchaseForm): PurchaseRequest | string {
  if (f.listing === null) return 'Choose the listing the test purchase was made on.';
  return compact({
    listing: f.listing,
    order: f.order.trim(),
    date: f.date.trim(),
    amount: f.amount.trim(),
    currency: f.currency.trim(),
    ship_to: f.shipTo.trim(),
    buyer: given(f.buyer),
    payment: given(f.payment),
  });
}

export interface ShippingForm {
  tracking: string;
  carrier: string;
  shipFrom: string;
  delivered: string;
}

export function emptyShippingForm(): ShippingForm {
  return { tracking: '', carrier: '', shipFrom: '', delivered: '' };
}

/** `update_purchase`'s request: the facts given, the others left out. */
export function shippingRequest(purchase: number, f: ShippingForm): PurchaseUpdateRequest {
  return compact({
    purchase,
    tracking: given(f.tracking),
    carrier: given(f.carrier),
    ship_from: given(f.shipFrom),
    delivered: given(f.delivered),
  });
}

export function verdictRequest(purchase: number, verdict: string, by: string, method: string): VerdictRequest {
  return { purchase, verdict, by: by.trim(), method: method.trim() };
}

export interface HandoverForm {
  from: string;
  to: string;
  /** As a `datetime-local` field holds it: local time, `YYYY-MM-DDTHH:MM`. */
  at: string;
  place: string;
  seal: string;
  note: string;
}

export function emptyHandoverForm(): HandoverForm {
  return { from: '', to: '', at: '', place: '', seal: '', note: '' };
}

/**
 * A `datetime-local` value (the user's local time) as RFC 3339 in UTC, which the case
 * stores; anything else (a bare day, or text the field did not make) is passed on as it
 * is, for the facade to accept or refuse in its own words.
 */
export function localToUtc(value: string): string {
  const v = value.trim();
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/.test(v)) return v;
  const t = new Date(v);
  if (Number.isNaN(t.getTime())) return v;
  return t.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function handoverRequest(purchase: number, f: HandoverForm): HandoverRequest {
  return compact({
    purchase,
    from: f.from.trim(),
    to: f.to.trim(),
    at: localToUtc(f.at),
    place: f.place.trim(),
    seal: given(f.seal),
    note: given(f.note),
  });
}

/** What the purchase form is open for: the listings to pick from (null: all) and the first. */
export interface PurchaseFormFor {
  listings: number[] | null;
  listing: number | null;
}

/** The form for one seller: its listings, the first of them chosen. */
export function formForSeller(seller: Pick<SellerView, 'listings'>): PurchaseFormFor {
  return { listings: [...seller.listings], listing: seller.listings[0] ?? null };
}

/** The purchases made on any of a seller's listings, in the order recorded. */
export function purchasesOf(seller: Pick<SellerView, 'listings'>, all: PurchaseView[]): PurchaseView[] {
  const mine = new Set(seller.listings);
  return all.filter((p) => mine.has(p.listing));
}

/** One line for the money: `12.50 USD`. */
export function amountText(p: Pick<PurchaseView, 'amount' | 'currency'>): string {
  return `${p.amount} ${p.currency}`;
}

/** A purchase's list after one changed: replaced in place, or added at the end. */
export function withPurchase(all: PurchaseView[], p: PurchaseView): PurchaseView[] {
  return all.some((x) => x.id === p.id) ? all.map((x) => (x.id === p.id ? p : x)) : [...all, p];
}

/** The file name of a path, for the list of files about to be attached. */
export function baseName(path: string): string {
  const parts = path.split(/[\\/]/);
  return parts[parts.length - 1] || path;
}
