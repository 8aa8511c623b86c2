// The complaint file the UI edits, as JSON: the same shape as examples/*.toml and the
// serde types in crates/exhibit-venues/src/file.rs. The backend refuses unknown keys
// (`deny_unknown_fields`), so `cleanDraft` rebuilds every table from the keys the Rust
// struct has, and leaves empty optional fields out instead of sending "".

import type {
  Venue, Addressee, Infringement, ComplaintType, AlibabaPlatform, AmazonWhere,
  MarketKind, IpRightKind, Contact, RightEntry, ListingEntry, UstrMarket, Statements,
  Signature, Declarant, ComplaintFile,
} from './bindings';
import { MAX_LISTINGS_PER_BATCH, SCHEDULE_A_DEFAULT_FORUM } from './bindings';
export type {
  Venue,
  Addressee,
  Infringement,
  Purpose,
  ComplaintType,
  AlibabaPlatform,
  AmazonWhere,
  MarketKind,
  IpRightKind,
  Contact,
  RightEntry,
  ListingEntry,
  ListingDefaults,
  AlibabaExtras,
  ScheduleAExtras,
  AmazonExtras,
  EbayExtras,
  UstrMarket,
  UstrExtras,
  AgencyExtras,
  Statements,
  Signature,
  Declarant,
  ComplaintFile,
} from './bindings';

// ---------------------------------------------------------------------------------
// Vocabularies, with the words a person reads.

export interface Option<T extends string = string> {
  value: T;
  label: string;
}

export interface VenueInfo {
  slug: Venue;
  title: string;
  short: string;
  /** One line: what it is for and its limits. */
  line: string;
  maxPerBatch: number | null;
}

const VENUE_TEXT: readonly Omit<VenueInfo, 'maxPerBatch'>[] = [
  {
    slug: 'alibaba-ipp',
    title: 'Alibaba IPP',
    short: 'Alibaba IPP',
    line: 'Taobao, Tmall, 1688, AliExpress and Alibaba.com, filed in the IPP portal: at most 300 URLs and one right a complaint.',
  },
  {
    slug: 'amazon',
    title: 'Amazon',
    short: 'Amazon',
    line: "Amazon's Report Infringement form: a registration valid in the marketplace's country, at most 50 listings and one violation type a report.",
  },
  {
    slug: 'ebay-vero',
    title: 'eBay VeRO',
    short: 'eBay VeRO',
    line: "eBay's Notice of Claimed Infringement for VeRO members: a reason code for each listing, a message to the seller of at most 1,000 characters.",
  },
  {
    slug: 'dmca',
    title: 'DMCA',
    short: 'A DMCA notice',
    line: 'A notice under 17 U.S.C. § 512(c)(3) to any US host: copyright only (copied photos or text), not counterfeits as such.',
  },
  {
    slug: 'eu-dsa',
    title: 'EU DSA',
    short: 'A DSA notice',
    line: 'A notice under Article 16 of the EU Digital Services Act to a platform serving the EU: it must explain why each listing is illegal.',
  },
  {
    slug: 'ustr-notorious-markets',
    title: 'USTR Notorious Markets',
    short: 'A USTR comment',
    line: "A comment to USTR's yearly review, naming markets outside the United States. Raises pressure; removes nothing by itself.",
  },
  {
    slug: 'agency-letter',
    title: 'Agency or embassy letter',
    short: 'An agency letter',
    line: "A letter to CBP, the IPR Center, the EU Watch List or an embassy's IP attaché asking for help. Removes nothing by itself.",
  },
  {
    slug: 'schedule-a',
    title: 'Schedule A lawsuit',
    short: 'A Schedule A filing',
    line: 'A US court case against many sellers at once: the table of defendants, one exhibit per seller and the investigator\'s declaration. Each seller needs a sale into the forum; more than 100 draws a warning.',
  },
];

/** Each venue as the UI shows it; its limit on listings is the backend's own. */
export const VENUES: readonly VenueInfo[] = VENUE_TEXT.map((v) => ({ ...v, maxPerBatch: MAX_LISTINGS_PER_BATCH[v.slug] }));

/** The forum a Schedule A filing takes when none is given: the backend's default. */
export { SCHEDULE_A_DEFAULT_FORUM };

/** A region code as the backend takes it: `US` or `US-IL` (two capitals, then 1 to 3 capitals or digits). */
export function isRegion(s: string): boolean {
  return /^[A-Z]{2}(-[A-Z0-9]{1,3})?$/.test(s);
}

/**
 * The draft switched to `venue`. A Schedule A filing starts with the default forum
 * written in, so the form shows what the backend would assume.
 */
export function withVenue(d: ComplaintFile, venue: Venue): ComplaintFile {
  const out: ComplaintFile = { ...d, venue };
  if (venue === 'schedule-a' && !str(d.schedule_a?.forum))
    out.schedule_a = { ...(d.schedule_a ?? {}), forum: SCHEDULE_A_DEFAULT_FORUM };
  return out;
}

export function venueInfo(v: Venue): VenueInfo {
  return VENUES.find((x) => x.slug === v) ?? VENUES[0];
}

export function isVenue(v: unknown): v is Venue {
  return typeof v === 'string' && VENUES.some((x) => x.slug === v);
}

export const INFRINGEMENTS: readonly Option<Infringement>[] = [
  { value: 'counterfeit', label: 'Counterfeit product' },
  { value: 'trademark-misuse', label: 'Trademark used without permission' },
  { value: 'copied-photos', label: 'Copied product photos' },
  { value: 'copied-text', label: 'Copied listing text' },
  { value: 'design-copy', label: 'Copy of a registered design' },
];

export const RIGHT_KINDS: readonly Option<IpRightKind>[] = [
  { value: 'trademark', label: 'Trademark' },
  { value: 'copyright', label: 'Copyright' },
  { value: 'design', label: 'Design' },
  { value: 'patent', label: 'Patent' },
];

export const ADDRESSEES: readonly Option<Addressee>[] = [
  { value: 'cbp', label: 'U.S. Customs and Border Protection (e-Allegations)' },
  { value: 'ipr-center', label: 'National IPR Coordination Center' },
  { value: 'eu-watch-list', label: 'EU Counterfeit and Piracy Watch List' },
  { value: 'embassy', label: "An embassy's IP attaché" },
];

export const ALIBABA_PLATFORMS: readonly Option<AlibabaPlatform>[] = [
  { value: 'taobao', label: 'Taobao' },
  { value: 'tmall', label: 'Tmall' },
  { value: 'aliexpress', label: 'AliExpress' },
  { value: '1688', label: '1688' },
  { value: 'alibaba.com', label: 'Alibaba.com' },
];

export const COMPLAINT_TYPES: readonly Option<ComplaintType>[] = [
  { value: 'listing', label: 'Single listings' },
  { value: 'store', label: 'A whole store' },
];

export const AMAZON_WHERE: readonly Option<AmazonWhere>[] = [
  { value: 'product', label: 'Product' },
  { value: 'packaging', label: 'Packaging' },
  { value: 'image', label: 'Image' },
  { value: 'text', label: 'Text' },
];

export const MARKET_KINDS: readonly Option<MarketKind>[] = [
  { value: 'online', label: 'Online' },
  { value: 'physical', label: 'Physical' },
];

/** The marketplaces the extractor names. */
export const MARKETPLACES: readonly Option[] = [
  { value: 'amazon', label: 'Amazon' },
  { value: 'ebay', label: 'eBay' },
  { value: 'taobao', label: 'Taobao' },
  { value: 'tmall', label: 'Tmall' },
  { value: 'aliexpress', label: 'AliExpress' },
  { value: 'alibaba', label: 'Alibaba.com' },
  { value: '1688', label: '1688' },
];

export function marketplaceLabel(m: string | null | undefined): string {
  if (!m) return 'Unknown marketplace';
  return MARKETPLACES.find((x) => x.value === m)?.label ?? m;
}

export function infringementLabel(i: string | null | undefined): string {
  return INFRINGEMENTS.find((x) => x.value === i)?.label ?? (i ?? '');
}

// ---------------------------------------------------------------------------------
// A new draft, and the table that files it.

export function emptyDraft(venue: Venue = 'alibaba-ipp'): ComplaintFile {
  return {
    venue,
    rights_holder: { name: '' },
    statements: { good_faith: false, accuracy_under_penalty_of_perjury: false, authorised: false },
  };
}

/**
 * A draft as loaded from the case, with the tables the forms read always present
 * (`rights_holder.name`, `statements`). Nothing is added that the backend would refuse.
 */
export function normaliseLoaded(d: ComplaintFile | null | undefined): ComplaintFile | null {
  if (!d || typeof d !== 'object' || !isVenue(d.venue)) return null;
  return {
    ...d,
    rights_holder: { ...d.rights_holder, name: d.rights_holder?.name ?? '' },
    statements: {
      good_faith: d.statements?.good_faith === true,
      accuracy_under_penalty_of_perjury: d.statements?.accuracy_under_penalty_of_perjury === true,
      authorised: d.statements?.authorised === true,
    },
  };
}

/** Who files: the agent when there is one, else the rights holder. */
export function filerTable(d: ComplaintFile): 'agent' | 'rights_holder' {
  return cleanContact(d.agent) ? 'agent' : 'rights_holder';
}

// ---------------------------------------------------------------------------------
// Dotted paths, as the backend names fields: `ustr.market[0].name`, `right[2].office`.

export type PathPart = string | number;

export function parsePath(path: string): PathPart[] {
  const parts: PathPart[] = [];
  for (const seg of path.split('.')) {
    const m = /^([^[\]]*)((?:\[\d+\])*)$/.exec(seg);
    if (!m) {
      parts.push(seg);
      continue;
    }
    if (m[1] !== '') parts.push(m[1]);
    for (const idx of m[2].matchAll(/\[(\d+)\]/g)) parts.push(Number(idx[1]));
  }
  return parts;
}

export function getPath(obj: unknown, path: string): unknown {
  let cur: unknown = obj;
  for (const p of parsePath(path)) {
    if (cur === null || cur === undefined || typeof cur !== 'object') return undefined;
    cur = (cur as Record<PathPart, unknown>)[p];
  }
  return cur;
}

/**
 * A copy of `obj` with the value at `path` replaced (or removed when `value` is
 * undefined). Objects and arrays on the way are copied, missing ones created; the
 * input is never changed.
 */
export function setPath<T>(obj: T, path: string, value: unknown): T {
  const parts = parsePath(path);
  const put = (cur: unknown, i: number): unknown => {
    const key = parts[i];
    const container: Record<PathPart, unknown> | unknown[] = Array.isArray(cur)
      ? [...cur]
      : cur !== null && typeof cur === 'object'
        ? { ...(cur as Record<string, unknown>) }
        : typeof key === 'number'
          ? []
          : {};
    const rec = container as Record<PathPart, unknown>;
    if (i === parts.length - 1) {
      if (value === undefined) {
        if (Array.isArray(container) && typeof key === 'number') container.splice(key, 1);
        else delete rec[key];
      } else {
        rec[key] = value;
      }
    } else {
      rec[key] = put(rec[key], i + 1);
    }
    return container;
  };
  return put(obj, 0) as T;
}

/** Whether an issue's field is `path` or lies inside it. */
export function fieldWithin(field: string, path: string): boolean {
  return field === path || field.startsWith(path + '.') || field.startsWith(path + '[');
}

// ---------------------------------------------------------------------------------
// Cleaning: exactly the keys the Rust structs know, and no empty optional values.

function str(v: unknown): string | undefined {
  if (typeof v !== 'string') return undefined;
  return v.trim() === '' ? undefined : v;
}

function reqStr(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

function bool(v: unknown): boolean | undefined {
  return typeof v === 'boolean' ? v : undefined;
}

function strList(v: unknown): string[] | undefined {
  if (!Array.isArray(v)) return undefined;
  const out = v.filter((x): x is string => typeof x === 'string').map((x) => x.trim()).filter((x) => x !== '');
  return out.length ? out : undefined;
}

function oneOf<T extends string>(v: unknown, options: readonly Option<T>[]): T | undefined {
  return options.some((o) => o.value === v) ? (v as T) : undefined;
}

/** An object without its undefined members, or undefined when nothing is left. */
function compact<T extends object>(o: T): T | undefined {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) if (v !== undefined) out[k] = v;
  return Object.keys(out).length ? (out as T) : undefined;
}

function cleanContact(c: Contact | null | undefined): Contact | undefined {
  if (!c) return undefined;
  return compact({
    name: str(c.name),
    organization: str(c.organization),
    address: str(c.address),
    email: str(c.email),
    phone: str(c.phone),
  }) as Contact | undefined;
}

function cleanRight(r: RightEntry): RightEntry {
  return compact({
    id: reqStr(r.id),
    kind: oneOf(r.kind, RIGHT_KINDS) ?? 'trademark',
    registration_number: str(r.registration_number),
    office: str(r.office),
    classes: strList(r.classes),
    owner: str(r.owner),
    certificates: strList(r.certificates),
    work_description: str(r.work_description),
    work_link: str(r.work_link),
  }) as RightEntry;
}

function cleanListing(l: ListingEntry): ListingEntry {
  return compact({
    capture: l.capture,
    right: str(l.right),
    infringement: oneOf(l.infringement, INFRINGEMENTS),
    notes: str(l.notes),
    title_translation: str(l.title_translation),
    // Kept as given (the backend always writes it, `live` by default), dropped if unknown.
    purpose: l.purpose === 'takedown-proof' || l.purpose === 'live' ? l.purpose : undefined,
  }) as ListingEntry;
}

function cleanMarket(m: UstrMarket): UstrMarket {
  return compact({
    name: reqStr(m.name),
    kind: oneOf(m.kind, MARKET_KINDS),
    urls: strList(m.urls),
    domain_registration: str(m.domain_registration),
    hosting_provider: str(m.hosting_provider),
    operator: str(m.operator),
    location: str(m.location),
    traffic: str(m.traffic),
    revenue_sources: str(m.revenue_sources),
    government_links: str(m.government_links),
    goods: str(m.goods),
    volume: str(m.volume),
    harm: str(m.harm),
    harm_change: str(m.harm_change),
    health_safety_risks: str(m.health_safety_risks),
    enforcement_actions: str(m.enforcement_actions),
    rights_holder_actions: str(m.rights_holder_actions),
    operator_measures: str(m.operator_measures),
  }) as UstrMarket;
}

function cleanReasonCodes(
  codes: Partial<Record<Infringement, string>> | undefined,
): Partial<Record<Infringement, string>> | undefined {
  if (!codes) return undefined;
  const out: Partial<Record<Infringement, string>> = {};
  for (const { value } of INFRINGEMENTS) {
    const c = str(codes[value]);
    if (c !== undefined) out[value] = c;
  }
  return Object.keys(out).length ? out : undefined;
}

function intOrUndefined(v: unknown): number | undefined {
  const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : v;
  return typeof n === 'number' && Number.isInteger(n) ? n : undefined;
}

/**
 * The draft as the backend takes it: only keys its structs know, and empty optional
 * fields left out. Required keys (`venue`, `rights_holder`, a right's `id` and `kind`,
 * a listing's `capture`, a market's `name`) are always kept.
 */
export function cleanDraft(d: ComplaintFile): ComplaintFile {
  const listings = (d.listing ?? []).filter((l) => Number.isInteger(l.capture)).map(cleanListing);
  const rights = (d.right ?? []).map(cleanRight);
  const defaults = d.listings
    ? compact({
        all_ok: d.listings.all_ok === true ? true : undefined,
        right: str(d.listings.right),
        infringement: oneOf(d.listings.infringement, INFRINGEMENTS),
      })
    : undefined;
  const ustr = d.ustr
    ? compact({
        docket: str(d.ustr.docket),
        year: intOrUndefined(d.ustr.year),
        focus: str(d.ustr.focus),
        market: d.ustr.market && d.ustr.market.length ? d.ustr.market.map(cleanMarket) : undefined,
      })
    : undefined;
  const statements: Statements = {
    good_faith: d.statements?.good_faith === true,
    accuracy_under_penalty_of_perjury: d.statements?.accuracy_under_penalty_of_perjury === true,
    authorised: d.statements?.authorised === true,
  };
  const signature = d.signature
    ? compact({
        name: str(d.signature.name),
        title: str(d.signature.title),
        date: str(d.signature.date),
        place: str(d.signature.place),
      })
    : undefined;
  const declaration = d.declaration
    ? compact({
        within_us: bool(d.declaration.within_us),
        declarant: str(d.declaration.declarant),
        title: str(d.declaration.title),
        place: str(d.declaration.place),
        date: str(d.declaration.date),
      })
    : undefined;
  const out: ComplaintFile = {
    venue: d.venue,
    addressee: oneOf(d.addressee, ADDRESSEES),
    addressee_name: str(d.addressee_name),
    rights_holder: cleanContact(d.rights_holder) ?? { name: '' },
    agent: cleanContact(d.agent),
    right: rights.length ? rights : undefined,
    listing: listings.length ? listings : undefined,
    listings: defaults,
    narrative: str(d.narrative),
    complaint_type: oneOf(d.complaint_type, COMPLAINT_TYPES),
    alibaba: d.alibaba
      ? compact({
          platform: oneOf(d.alibaba.platform, ALIBABA_PLATFORMS),
          reason: str(d.alibaba.reason),
          identity_proof: str(d.alibaba.identity_proof),
          power_of_attorney: str(d.alibaba.power_of_attorney),
          test_purchase: str(d.alibaba.test_purchase)?.trim(),
        })
      : undefined,
    amazon: d.amazon
      ? compact({
          marketplace_country: str(d.amazon.marketplace_country),
          where: (d.amazon.where ?? []).filter((w) => oneOf(w, AMAZON_WHERE)).length
            ? (d.amazon.where ?? []).filter((w) => oneOf(w, AMAZON_WHERE))
            : undefined,
          test_buy_orders: strList(d.amazon.test_buy_orders),
        })
      : undefined,
    ebay: d.ebay
      ? compact({
          reason_code: str(d.ebay.reason_code),
          reason_codes: cleanReasonCodes(d.ebay.reason_codes),
          message_to_seller: str(d.ebay.message_to_seller),
          brand: str(d.ebay.brand),
        })
      : undefined,
    ustr,
    agency: d.agency
      ? compact({
          violator_name: str(d.agency.violator_name),
          violator_address: str(d.agency.violator_address),
          violator_website: str(d.agency.violator_website),
          violator_country: str(d.agency.violator_country),
          product: str(d.agency.product),
          immediate_threat: bool(d.agency.immediate_threat),
          prior_takedowns: str(d.agency.prior_takedowns),
          ask: str(d.agency.ask),
          scale: str(d.agency.scale),
          how_found: str(d.agency.how_found),
          test_buys: str(d.agency.test_buys),
        })
      : undefined,
    schedule_a: d.schedule_a
      ? compact({
          court: str(d.schedule_a.court),
          case_number: str(d.schedule_a.case_number),
          forum: str(d.schedule_a.forum)?.trim(),
        })
      : undefined,
    statements,
    signature: signature as Signature | undefined,
    declaration: declaration as Declarant | undefined,
  };
  return compact(out) as ComplaintFile;
}

const VENUE_TABLES: Record<string, Venue> = {
  alibaba: 'alibaba-ipp',
  amazon: 'amazon',
  ebay: 'ebay-vero',
  ustr: 'ustr-notorious-markets',
  agency: 'agency-letter',
  schedule_a: 'schedule-a',
};

/**
 * The draft as it is checked and exported for its venue: tables of other venues (kept
 * in the saved draft so that switching back restores them) are left out, since the
 * backend would only warn that it ignores them.
 */
export function forVenue(d: ComplaintFile): ComplaintFile {
  const out = cleanDraft(d) as unknown as Record<string, unknown>;
  for (const [table, owner] of Object.entries(VENUE_TABLES)) {
    if (owner !== d.venue) delete out[table];
  }
  if (d.venue !== 'alibaba-ipp') delete out.complaint_type;
  if (d.venue !== 'agency-letter') {
    delete out.addressee;
    delete out.addressee_name;
  }
  return out as unknown as ComplaintFile;
}

/** Every key the backend's structs accept, per table: what `cleanDraft` may produce. */
export const KNOWN_KEYS: Record<string, readonly string[]> = {
  root: [
    'venue', 'addressee', 'addressee_name', 'rights_holder', 'agent', 'right', 'listing',
    'listings', 'narrative', 'complaint_type', 'alibaba', 'amazon', 'ebay', 'ustr', 'agency',
    'schedule_a', 'statements', 'signature', 'declaration',
  ],
  contact: ['name', 'organization', 'address', 'email', 'phone'],
  right: [
    'id', 'kind', 'registration_number', 'office', 'classes', 'owner', 'certificates',
    'work_description', 'work_link',
  ],
  listing: ['capture', 'right', 'infringement', 'notes', 'title_translation', 'purpose'],
  listings: ['all_ok', 'right', 'infringement'],
  alibaba: ['platform', 'reason', 'identity_proof', 'power_of_attorney', 'test_purchase'],
  amazon: ['marketplace_country', 'where', 'test_buy_orders'],
  ebay: ['reason_code', 'reason_codes', 'message_to_seller', 'brand'],
  ustr: ['docket', 'year', 'focus', 'market'],
  market: [
    'name', 'kind', 'urls', 'domain_registration', 'hosting_provider', 'operator', 'location',
    'traffic', 'revenue_sources', 'government_links', 'goods', 'volume', 'harm', 'harm_change',
    'health_safety_risks', 'enforcement_actions', 'rights_holder_actions', 'operator_measures',
  ],
  agency: [
    'violator_name', 'violator_address', 'violator_website', 'violator_country', 'product',
    'immediate_threat', 'prior_takedowns', 'ask', 'scale', 'how_found', 'test_buys',
  ],
  schedule_a: ['court', 'case_number', 'forum'],
  statements: ['good_faith', 'accuracy_under_penalty_of_perjury', 'authorised'],
  signature: ['name', 'title', 'date', 'place'],
  declaration: ['within_us', 'declarant', 'title', 'place', 'date'],
};

/** Keys in `d` that the backend would refuse, as dotted paths. Empty for a clean draft. */
export function unknownKeys(d: unknown): string[] {
  const found: string[] = [];
  const check = (o: unknown, table: string, at: string) => {
    if (o === null || typeof o !== 'object' || Array.isArray(o)) return;
    for (const k of Object.keys(o)) {
      if (!KNOWN_KEYS[table].includes(k)) found.push(at ? `${at}.${k}` : k);
    }
  };
  const r = d as Record<string, unknown>;
  check(r, 'root', '');
  for (const t of ['rights_holder', 'agent']) check(r[t], 'contact', t);
  for (const t of ['listings', 'alibaba', 'amazon', 'ebay', 'ustr', 'agency', 'schedule_a', 'statements', 'signature', 'declaration'])
    check(r[t], t, t);
  (Array.isArray(r.right) ? r.right : []).forEach((x, i) => check(x, 'right', `right[${i}]`));
  (Array.isArray(r.listing) ? r.listing : []).forEach((x, i) => check(x, 'listing', `listing[${i}]`));
  const ustr = r.ustr as Record<string, unknown> | undefined;
  (Array.isArray(ustr?.market) ? ustr.market : []).forEach((x, i) => check(x, 'market', `ustr.market[${i}]`));
  return found;
}

/** Classes typed as "9, 11 25" → ["9", "11", "25"]. */
export function parseClasses(text: string): string[] {
  return text
    .split(/[\s,;]+/)
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

/** One entry a line, blank lines dropped. */
export function parseLines(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((s) => s.trim())
    .filter((s) => s !== '');
}
