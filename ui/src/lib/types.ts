// The shapes the backend sends and takes, as in docs/APP-API.md and the facade's serde
// types (crates/exhibit/src/view.rs, export.rs, batch.rs). Field names are snake_case
// because they are the facade's own serde names. Pure types: no Tauri here.

import type { ComplaintFile } from './complaint';

/** Every rejected command becomes one of these. The UI branches on `code` only. */
export interface AppError {
  code: string;
  message: string;
}

export interface RecentCase {
  path: string;
  title: string;
  opened_at: string;
}

export interface Strength {
  score: number; // 0..4
  acceptable: boolean;
  warning: string | null;
  suggestions: string[];
}

export interface Collector {
  name: string;
  organization?: string | null;
  role?: string | null;
  contact?: string | null;
}

export interface CaseInfo {
  path: string;
  title: string;
  captures: number;
  collector: Collector | null;
}

export interface Attachment {
  name: string;
  media_type: string;
  size: number;
  sha256: string;
  added_at: string;
}

export type Severity = 'error' | 'warning';

export interface Issue {
  severity: Severity;
  field: string;
  message: string;
}

export interface ComplaintCheck {
  /** The venue as a person reads it (its title), not its slug. */
  venue: string;
  issues: Issue[];
  /** Listings in each batch the venue's limits call for. */
  batches: number[];
  /** For a Schedule A filing without errors: its table, gaps and joinder facts. */
  schedule_a?: SchedulePreview | null;
}

/** One row of Schedule A (`exhibit_defendants::ScheduleRow`); values are one line each, "" when not known. */
export interface ScheduleRow {
  doe: number;
  alias: string;
  seller_id: string;
  store_url: string;
  /** The marketplace as a person reads it ("AliExpress"). */
  marketplace: string;
  listing_urls: string[];
}

/** A fact two defendants' pages show (`exhibit_defendants::Fact`). */
export interface JoinderFact {
  /** `marketplace`, `image`, `price`, `title`, `address` or `ship_from`. */
  what: string;
  detail: string;
}

/** Two defendants by Doe number (`a < b`), with what their pages share and where they differ. */
export interface JoinderPair {
  a: number;
  b: number;
  shared: JoinderFact[];
  differs: JoinderFact[];
}

/** What the complaint step shows of a Schedule A filing (the facade's `SchedulePreview`). */
export interface SchedulePreview {
  /** The forum as a region code, `US-IL`. */
  forum: string;
  rows: ScheduleRow[];
  /** What each defendant lacks (`doe` 0: the filing as a whole). */
  gaps: Gap[];
  pairs: JoinderPair[];
}

export type CaptureMode = 'browser' | 'http';
export type CaptureStatus = 'ok' | 'blocked' | 'removed' | 'failed';
/** The `state` of a `capture-progress` event. */
export type ProgressState = 'capturing' | CaptureStatus | 'cancelled';

/** Batch and job ids are opaque: the UI only hands them back. */
export type BatchId = number | string;
export type JobId = number | string;

export interface CaptureProgressEvent {
  batch_id: BatchId;
  index: number;
  url: string;
  state: ProgressState;
  capture_id?: number | null;
  title?: string | null;
  reason?: string | null;
}

export interface BatchSummary {
  total: number;
  ok: number;
  blocked: number;
  removed: number;
  failed: number;
  unsaved: number;
  cancelled: number;
  elapsed_ms: number;
}

export interface CaptureDoneEvent {
  batch_id: BatchId;
  summary: BatchSummary;
  cancelled: boolean;
  /** Set (by the shell) only when the batch could not run at all, e.g. no browser found. */
  error?: AppError | null;
}

export interface BrowserStatus {
  open: boolean;
  snaps: number;
}

/** What `snap_tab` returns: one capture's outcome. */
export interface CaptureOutcome {
  index: number;
  url: string;
  capture_id: number | null;
  status: CaptureStatus;
  http_status: number | null;
  title: string | null;
  error: string | null;
}

export interface CaptureQuery {
  offset: number;
  limit: number;
  status?: CaptureStatus;
  marketplace?: string;
  linked?: boolean;
}

export interface Redirect {
  url: string;
  status: number;
  location: string;
}

export interface ArtifactSummary {
  kind: string;
  media_type: string;
  size: number;
  sha256: string;
}

/** One capture as listed (`exhibit list --json`). */
export interface CaptureView {
  id: number;
  mode: string;
  requested_url: string;
  final_url: string | null;
  status: CaptureStatus;
  http_status: number | null;
  page_kind: string | null;
  marketplace: string | null;
  listing_id: string | null;
  title: string | null;
  price: string | null;
  currency: string | null;
  seller: string | null;
  started_at: string;
  finished_at: string;
  remote_addr: string | null;
  redirects: Redirect[];
  error: string | null;
  record_sha256: string;
  artifacts: ArtifactSummary[];
}

/** A capture's trusted time (RFC 3161), as the facade's `TrustedTime`. */
export type TrustedTime =
  | { state: 'stamped'; gen_time: string; tsa_name: string; serial: string; delay_ms: number }
  | { state: 'missing'; reason: string };

/** One gallery card: the capture as listed, and its trusted time (null: none). */
export interface GalleryItem extends CaptureView {
  trusted_time?: TrustedTime | null;
}

export interface CapturePage {
  total: number;
  items: GalleryItem[];
}

export interface HeaderView {
  name: string;
  value: string;
  value_was_lossy?: boolean;
}

export interface Environment {
  tool: string;
  tool_version: string;
  user_agent: string;
  hostname: string;
  os: string;
  local_utc_offset: string;
  clock_source: string;
  proxy: string | null;
  resolve_overrides: string[];
  extra_root_certificates: string[];
}

export interface BrowserFacts {
  product: string;
  user_agent: string;
  viewport: [number, number];
  device_scale: number;
  locale: string;
  timezone: string;
  extensions: string[];
  headless: boolean;
  executable: string;
  logged_in_as: string | null;
}

/** One capture with everything recorded (`exhibit show --json`). */
export interface CaptureDetail extends CaptureView {
  canonical_url: string | null;
  charset: string | null;
  http_version: string | null;
  headers: HeaderView[];
  tls: { peer_certificate_sha256: string | null } | null;
  notes: string[];
  collector: Collector;
  environment: Environment;
  browser: BrowserFacts | null;
}

export interface ExportProgressEvent {
  job_id: JobId;
  step: string;
  done: number;
  total: number;
}

export interface ExportReport {
  packet: string;
  bundle: string;
  filing_sheet?: string | null;
  url_lists?: string[];
  uploads?: string[];
  pages: number;
  bates_first: string;
  bates_last: string;
  listings?: number;
  batches?: number;
  manifest_sha256: string;
  bundle_sha256: string;
  warnings: Issue[];
  /** A Schedule A filing's defendants, its table for the clerk and its joinder report. */
  defendants?: number;
  schedule_a_csv?: string | null;
  joinder_report?: string | null;
  /** An Alibaba complaint's test-buy report, written beside the packet. */
  test_buy_report?: string | null;
}

export interface ExportDoneEvent {
  job_id: JobId;
  report?: ExportReport | null;
  error?: AppError | null;
}

/** One problem in a bundle. The facade sends `code`; APP-API.md names `path`. Both optional. */
export interface BundleProblem {
  code?: string;
  path?: string;
  message: string;
}

export interface BundleCheck {
  intact: boolean;
  files_checked?: number;
  manifest_sha256?: string | null;
  custody_head_seq?: number | null;
  custody_head_hash?: string | null;
  problems: BundleProblem[];
}

/**
 * One thing `verify_case` found wrong (the store's `Problem`). `code` is what the UI
 * branches on: `page_damaged`, `artifact_changed`, `artifact_unreadable`,
 * `artifact_not_in_log`, `record_changed`, `capture_not_in_log`, `event_missing`,
 * `event_changed`, `event_unlinked`, `file_changed`, `timestamp_changed`,
 * `timestamp_not_in_log`, `timestamp_mismatch` (and any later one).
 */
export interface CaseProblem {
  code: string;
  capture_id?: number | null;
  artifact?: string | null;
  event_seq?: number | null;
  message: string;
}

/** What `verify_case` reports: the facade's `VerifyReport`, as `exhibit verify --json` prints it. */
export interface CaseCheck {
  ok: boolean;
  problems: CaseProblem[];
  /** Pages whose HMAC was checked straight from disk; 0 for the quick check. */
  pages_checked: number;
  captures_checked: number;
  artifacts_checked: number;
  bytes_checked: number;
  events_checked: number;
  /** The hash of the newest custody event before this check logged itself. */
  custody_head: string | null;
}

export interface CustodyEvent {
  seq: number;
  at: string;
  kind: string;
  /** The detail JSON text exactly as hashed. */
  detail: string;
  prev_hash: string;
  hash: string;
}

export interface CustodyLog {
  intact: boolean;
  events: CustodyEvent[];
  problems: string[];
}

export interface Settings {
  capture_mode: CaptureMode;
  concurrency: number;
  /** RFC 3161 time-stamp authorities, tried in order; empty: no trusted time. */
  tsa_urls?: string[];
  /** Extra root certificates (PEM file paths) for the authorities. */
  tsa_roots?: string[];
  /** The signed update manifest's address (https); null or absent: updates are off. */
  update_url?: string | null;
}

/** About Exhibit: this build. */
export interface About {
  version: string;
  /** Short git commit; `dev` for a debug build, `unknown` outside a checkout. */
  commit: string;
  /** Whether this build has a public key to verify updates with. */
  can_update: boolean;
}

/** An update the manifest at the update address offers. */
export interface UpdateOffer {
  current_version: string;
  version: string;
  notes: string | null;
  date: string | null;
}

/** What a file dialog is for (`choose_path`); a path chosen for one serves only that one. */
export type PathPurpose =
  | 'case_open'
  | 'case_new'
  | 'certificate'
  | 'url_list'
  | 'bundle'
  | 'export_folder'
  | 'wacz_import'
  | 'wacz_export'
  | 'tsa_root'
  | 'outcome_answer'
  | 'purchase_file'
  | 'purchase_photos';

/** The dialogs that pick several files at once (`choose_paths`). */
export type MultiPathPurpose = 'purchase_file' | 'purchase_photos';

/** What `import_wacz` reports (the facade's `ImportReport`, passed through). */
export interface WaczImportReport {
  path: string;
  sha256: string;
  datapackage_sha256: string;
  software: string | null;
  pages: number;
  records_checked: number;
  unverified_records: number;
  signature_present?: boolean;
  /** Who signed it (a domain or a key fingerprint), when it is signed and the signature held. */
  signer?: string | null;
  /** When it was signed, RFC 3339, when it is signed. */
  signed_at?: string | null;
  captures: {
    capture_id: number;
    page_id: string;
    url: string;
    status: CaptureStatus;
    http_status: number | null;
    title: string | null;
    error: string | null;
  }[];
}

/** What `export_wacz` reports (the facade's `WaczReport`). */
export interface WaczExportReport {
  path: string;
  pages: number;
  records: number;
  bytes: number;
  sha256: string;
  datapackage_sha256: string;
  skipped: { capture_id: number; reason: string }[];
}

/** What a file dropped on the window carries: paths, and where it landed in CSS pixels. */
export interface FileDrop {
  type: 'enter' | 'over' | 'drop' | 'leave';
  paths: string[];
  x: number;
  y: number;
}

// ---- The campaign (crates/exhibit/src/campaign.rs, recapture.rs, relisting.rs) ----

/** One listing of the case (`exhibit listings --json`). `id` is the case's own id. */
export interface ListingView {
  id: number;
  marketplace: string;
  /** The marketplace's own id for the listing. */
  listing_id: string;
  seller_id: string | null;
  seller: string | null;
  captures: number;
  last_status: CaptureStatus;
  last_captured_at: string;
  first_captured_at: string;
  last_capture_id: number;
  title: string | null;
  url: string;
}

/** One fact that differs between two captures of a listing. */
export interface Change {
  /** `status`, `price`, `title`, `seller` or `image`. */
  field: string;
  from: string | null;
  to: string | null;
}

export interface HistoryEntry {
  capture_id: number;
  captured_at: string;
  mode: string;
  status: CaptureStatus;
  title: string | null;
  price: string | null;
  currency: string | null;
  seller_id: string | null;
  seller: string | null;
  image_sha256: string | null;
  changed: Change[];
}

/** What a platform did with one reported listing, as the user records answers. */
export type OutcomeName =
  | 'pending'
  | 'removed'
  | 'rejected'
  | 'counter-noticed'
  | 'reinstated'
  | 'withdrawn'
  | 'no-answer';

export interface OutcomeRow {
  id: number;
  outcome: OutcomeName;
  on_date: string;
  reason: string | null;
  /** The attached answer, by its name in the case. */
  attachment: string | null;
  attachment_sha256: string | null;
  recorded_at: string;
}

/** A filing as it concerns one listing. */
export interface ListingFiling {
  filing: number;
  venue: string;
  reference: string;
  filed_on: string;
  outcome: OutcomeName;
  outcomes: OutcomeRow[];
}

export interface ListingHistory {
  listing: ListingView;
  captures: HistoryEntry[];
  filings: ListingFiling[];
}

export interface SellerView {
  marketplace: string;
  seller_id: string | null;
  name: string | null;
  listings: number[];
  first_seen: string;
  last_seen: string;
}

/** A window a venue gives the other side. */
export interface Deadline {
  what: string;
  closes_on: string;
  /** Calendar days from today to the day it closes (negative: closed). */
  days_left: number;
  open: boolean;
}

export interface FiledListingView {
  listing: number;
  listing_id: string | null;
  marketplace: string | null;
  url: string | null;
  capture_id: number | null;
  outcome: OutcomeName;
  outcomes: OutcomeRow[];
}

export interface FilingView {
  id: number;
  venue: string;
  reference: string;
  filed_on: string;
  export_sha256: string | null;
  recorded_at: string;
  listings: FiledListingView[];
  deadlines: Deadline[];
}

/** `add_filing`'s argument: the listings, or the manifest SHA-256 of an export. */
export interface FilingRequest {
  venue: string;
  reference: string;
  /** YYYY-MM-DD. */
  filed: string;
  listings: number[];
  export?: string;
}

/** `record_outcome`'s argument; `attach` is a path chosen with `outcome_answer`. */
export interface OutcomeRequest {
  filing: number;
  listing: number;
  outcome: OutcomeName;
  date: string;
  reason?: string;
  attach?: string;
}

export interface Counts {
  reported: number;
  removed: number;
  removed_by_word_only: number;
  removed_but_live: number;
  rejected: number;
  counter_noticed: number;
  counter_notice_succeeded: number;
  reinstated: number;
  pending: number;
  takedown_rate: number | null;
  counter_notice_success_rate: number | null;
}

export interface RepeatSeller {
  seller: string;
  marketplace: string;
  reported_listings: number;
  relisted: number;
}

/** Alibaba IPP's good-faith programme lines and where the case stands. */
export interface GoodFaith {
  from: string;
  to: string;
  reported: number;
  takedown_rate: number | null;
  takedown_rate_needed: number;
  counter_notice_success_rate: number | null;
  counter_notice_success_rate_allowed: number;
  meets: boolean;
}

/** The campaign's figures (`exhibit stats --json`); `Counts` is flattened into it. */
export interface Stats extends Counts {
  since: string | null;
  today: string;
  median_days_to_removal: number | null;
  stay_down_rate: number | null;
  stay_down_days: number;
  stay_down_eligible: number;
  relisted: number;
  relisting_rate: number | null;
  by_venue: Record<string, Counts>;
  by_marketplace: Record<string, Counts>;
  by_seller: Record<string, Counts>;
  repeat_sellers: RepeatSeller[];
  good_faith: GoodFaith | null;
}

/** One week of the campaign (Monday to Sunday, UTC), as the agency packet prints it. */
export interface Week {
  /** The Monday it starts, YYYY-MM-DD. */
  monday: string;
  /** Listings reported in filings made that week (one a listing a filing). */
  filed: number;
  /** Reported listings that came down that week: by the first capture that found them
   * removed, else by the platform's answer. */
  removed: number;
  /** Confirmed relistings first seen that week. */
  relisted: number;
  /** Reported listings not known to be down at the week's end. */
  still_live: number;
}

/** `timeline()`: the facade's `Case::timeline`, the packet's "Week by week" figures. */
export interface Timeline {
  today: string;
  weeks: Week[];
}

/**
 * `start_recapture`'s choices, as `exhibit recapture`'s flags: one of `filing`,
 * `listings` or `all` (none: every reported listing); `mode` for all of them (none: each
 * in the mode of its last capture).
 */
export interface RecaptureRequest {
  filing?: number;
  listings?: number[];
  all?: boolean;
  mode?: CaptureMode;
}

/** A platform's answer that a recapture contradicts. */
export interface SaidRemoved {
  filing: number;
  venue: string;
  reference: string;
  on_date: string;
}

/** What became of one listing taken again. */
export interface RecaptureResult {
  listing: number;
  listing_id: string;
  marketplace: string;
  url: string;
  mode: string;
  capture_id: number | null;
  status: CaptureStatus;
  result: 'live' | 'removed' | 'blocked' | 'failed';
  changed: Change[];
  /** Set when the platform said removed and this capture found it live. */
  said_removed: SaidRemoved[];
  message: string;
}

export interface RecaptureSummary {
  total: number;
  live: number;
  removed: number;
  blocked: number;
  failed: number;
  live_though_said_removed: number;
  cancelled: number;
  elapsed_ms: number;
}

export interface RecaptureProgressEvent {
  job_id: JobId;
  index: number;
  url: string;
  state: ProgressState;
  capture_id?: number | null;
  reason?: string | null;
}

export interface RecaptureResultEvent {
  job_id: JobId;
  result: RecaptureResult;
}

export interface RecaptureDoneEvent {
  job_id: JobId;
  summary: RecaptureSummary;
  results: RecaptureResult[];
  cancelled: boolean;
  /** Set only when it could not run at all (no filing yet, no browser found). */
  error?: AppError | null;
}

/** Why two listings were linked. */
export type RelistingReason =
  | { kind: 'same_seller_id'; seller_id: string }
  | { kind: 'same_seller_name'; seller: string }
  | { kind: 'same_image'; original_capture: number; candidate_capture: number; distance: number; algorithm: string }
  | { kind: 'same_title'; title: string };

/** A suggested relisting, with its reasons and any decision on it. */
export interface Candidate {
  original: number;
  relisting: number;
  marketplace: string;
  original_listing_id: string;
  relisting_listing_id: string;
  removed_on: string;
  first_seen: string;
  reasons: RelistingReason[];
  state: 'suggested' | 'confirmed' | 'dismissed';
}

export interface Relistings {
  threshold: number;
  algorithm: string;
  candidates: Candidate[];
  confirmed: number;
  hashed_now: number;
}

export type { ComplaintFile };

// ---- Test purchases (the facade's PurchaseView and its requests) ----

/** `order`, `receipt`, `label`, `parcel-photo`, `product-photo` or `comparison`. */
export type PurchaseFileKind = 'order' | 'receipt' | 'label' | 'parcel-photo' | 'product-photo' | 'comparison';
export type VerdictName = 'counterfeit' | 'genuine' | 'inconclusive';

export interface PurchaseUpdateRow {
  id: number;
  tracking: string | null;
  carrier: string | null;
  ship_from: string | null;
  delivered_on: string | null;
  recorded_at: string;
}

export interface PurchaseFileRow {
  id: number;
  kind: string;
  file_name: string;
  media_type: string;
  size: number;
  sha256: string;
  added_at: string;
}

export interface VerdictRow {
  id: number;
  verdict: string;
  by: string;
  method: string;
  recorded_at: string;
}

export interface ItemCustodyRow {
  id: number;
  from: string;
  to: string;
  at: string;
  place: string;
  seal: string | null;
  note: string | null;
  recorded_at: string;
}

/** A test purchase with its listing, seller and everything recorded since. */
export interface PurchaseView {
  id: number;
  /** The case's listing id. */
  listing: number;
  listing_id: string | null;
  url: string | null;
  title: string | null;
  platform: string;
  seller_id: string | null;
  seller: string | null;
  order_number: string;
  ordered_on: string;
  buyer: string | null;
  amount: string;
  currency: string;
  payment_last4: string | null;
  ship_to: string;
  ship_to_region: string | null;
  recorded_at: string;
  tracking: string | null;
  carrier: string | null;
  ship_from: string | null;
  delivered_on: string | null;
  updates: PurchaseUpdateRow[];
  files: PurchaseFileRow[];
  verdict: VerdictRow | null;
  custody: ItemCustodyRow[];
}

/** `add_purchase`'s argument. */
export interface PurchaseRequest {
  listing: number;
  order: string;
  date: string;
  amount: string;
  currency: string;
  ship_to: string;
  buyer?: string;
  payment?: string;
}

/** `update_purchase`'s argument: at least one fact. */
export interface PurchaseUpdateRequest {
  purchase: number;
  tracking?: string;
  carrier?: string;
  ship_from?: string;
  delivered?: string;
}

/** `purchase_verdict`'s argument. */
export interface VerdictRequest {
  purchase: number;
  verdict: string;
  by: string;
  method: string;
}

/** `item_custody`'s argument. */
export interface HandoverRequest {
  purchase: number;
  from: string;
  to: string;
  /** RFC 3339, or a day. */
  at: string;
  place: string;
  seal?: string;
  note?: string;
}

// ---- Discovery ----

export interface DiscoveredListing {
  url: string;
  marketplace: string;
  listing_id: string;
  in_case: boolean;
  case_listing: number | null;
}

/** What a captured store or search page links to (`exhibit discover --json`). */
export interface Discovery {
  capture_id: number;
  page_kind: string;
  marketplace: string | null;
  page_url: string;
  read_from: string;
  listings: DiscoveredListing[];
  in_case: number;
  cut: boolean;
  notes: string[];
}

// ---- Sellers as defendants (the facade's DefendantView) ----

/** What a storefront or seller profile page showed. */
export interface StoreFacts {
  shop_name?: string | null;
  business_name?: string | null;
  address?: string | null;
  location?: string | null;
  rating?: string | null;
  opened?: string | null;
}

/** What a checkout page showed. */
export interface CheckoutFacts {
  listing_id?: string | null;
  seller?: string | null;
  seller_id?: string | null;
  ship_to?: string | null;
  ship_to_region?: string | null;
  total?: string | null;
  currency?: string | null;
}

/** A storefront or checkout capture of a seller. */
export interface EvidencePage {
  exhibit: number | null;
  capture_id: number;
  url: string;
  captured_at: string;
  store: StoreFacts | null;
  checkout: CheckoutFacts | null;
  screenshot: string | null;
}

/** Something a Schedule A exhibit still lacks, in one sentence. */
export interface Gap {
  doe: number;
  /** `no_forum_sale`, `no_test_purchase`, `no_location`, `blocked_listing`, … */
  code: string;
  message: string;
}

/** A seller as a possible defendant (`Case::defendants`). */
export interface DefendantView {
  doe: number;
  marketplace: string;
  seller_id: string | null;
  alias: string;
  store_url: string | null;
  storefront: EvidencePage | null;
  checkout: EvidencePage | null;
  purchases: { id: number; order_number: string; ship_to_region: string | null }[];
  blocked_listings: string[];
  missing: Gap[];
}
