// Generated from the Rust types by src-tauri/src/bindings.rs: do not edit.
// Write it again with: EXHIBIT_WRITE_BINDINGS=1 cargo test -p exhibit-app --lib bindings

import type { ProgressState } from './types';

/**
 * The About box: what this build is.
 */
export type About = { 
/**
 * The workspace version (`Cargo.toml`), e.g. `0.1.0`.
 */
version: string, 
/**
 * The short git commit it was built from; `dev` for a debug build, `unknown` when
 * built outside a checkout (see `crates/exhibit-cli/build_commit.rs`).
 */
commit: string, 
/**
 * Whether this build carries a public key to verify updates with.
 */
can_update: boolean, };

/**
 * Who an agency letter is addressed to.
 */
export type Addressee = "cbp" | "ipr-center" | "eu-watch-list" | "embassy";

/**
 * `[agency]`: what an agency or attaché needs to act.
 */
export type AgencyExtras = { violator_name?: string | null, violator_address?: string | null, violator_website?: string | null, 
/**
 * The violator's country, ISO code or English name.
 */
violator_country?: string | null, 
/**
 * The product copied.
 */
product?: string | null, 
/**
 * CBP asks: is there an immediate threat to life or property?
 */
immediate_threat?: boolean | null, 
/**
 * Takedowns, cease-and-desist letters and other steps already taken, with outcomes.
 */
prior_takedowns?: string | null, 
/**
 * What you ask the addressee to do.
 */
ask?: string | null, 
/**
 * Volume and prices, in your words.
 */
scale?: string | null, 
/**
 * How the listings were found.
 */
how_found?: string | null, 
/**
 * Test buys made, with order numbers and what arrived.
 */
test_buys?: string | null, };

/**
 * `[alibaba]`: what the IPP complaint form asks beyond the common model.
 */
export type AlibabaExtras = { platform?: AlibabaPlatform | null, 
/**
 * The reason as chosen in the form's drop-down.
 */
reason?: string | null, 
/**
 * ID card or passport; for a company, its business registration. A file path.
 */
identity_proof?: string | null, 
/**
 * Needed when an agent files. A file path.
 */
power_of_attorney?: string | null, 
/**
 * The order number of a test purchase recorded in the case: the export renders its
 * test-buy report for the complaint (Alibaba takes one order number per complaint).
 */
test_purchase?: string | null, };

/**
 * The Alibaba Group platform a complaint is filed for.
 */
export type AlibabaPlatform = "taobao" | "tmall" | "aliexpress" | "1688" | "alibaba.com";

/**
 * `[amazon]`.
 */
export type AmazonExtras = { 
/**
 * The marketplace's country as ISO code ("US", "DE", "GB").
 */
marketplace_country?: string | null, 
/**
 * Where the infringement shows: product, packaging, image, text (one or a list).
 */
where?: Array<AmazonWhere>, 
/**
 * Order ids of test buys.
 */
test_buy_orders?: Array<string>, };

/**
 * Where on an Amazon listing the infringement shows.
 */
export type AmazonWhere = "product" | "packaging" | "image" | "text";

/**
 * A command's failure, as the web UI receives it.
 */
export type AppError = { code: string, message: string, };

/**
 * A web archive's signature that verified (Webrecorder's WACZ signing spec).
 */
export type ArchiveSignature = { 
/**
 * `domain` (a TLS certificate for a domain, chained to a trusted root) or `key`
 * (a key nothing vouches for).
 */
method: string, 
/**
 * The domain, or `key sha256:` and the SHA-256 of the public key's DER.
 */
signer: string, 
/**
 * SHA-256 of the domain certificate's DER, hex; `None` for a key.
 */
certificate_sha256: string | null, 
/**
 * When the signer says it signed (`created`), RFC 3339 UTC with milliseconds.
 */
signed_at: string, 
/**
 * The signing software, e.g. `authsigner 0.3.0`.
 */
software: string | null, 
/**
 * The RFC 3161 time signature's genTime, RFC 3339 UTC with milliseconds.
 */
time_stamped_at: string | null, 
/**
 * The time-stamp authority's certificate subject.
 */
time_stamp_authority: string | null, };

/**
 * The web archive (WACZ) an imported capture was read from.
 */
export type ArchiveSource = { 
/**
 * The file's name as imported.
 */
file: string, 
/**
 * SHA-256 of the whole file, hex.
 */
sha256: string, 
/**
 * The software that wrote it, as its `datapackage.json` says.
 */
software: string | null, 
/**
 * The page of its page list this capture is.
 */
page_id: string, 
/**
 * Its signature, verified before anything was imported; `None`: unsigned.
 */
signature: ArchiveSignature | null, };

/**
 * An artifact's identity without its bytes.
 */
export type ArtifactSummary = { kind: string, media_type: string, size: number, sha256: Digest, };

/**
 * A file attached to the case, as listed (without its bytes).
 */
export type Attachment = { name: string, media_type: string, size: number, sha256: string, added_at: string, };

/**
 * `start_capture`'s result.
 */
export type BatchStarted = { batch_id: number, };

/**
 * The end of a batch.
 */
export type BatchSummary = { total: number, ok: number, blocked: number, removed: number, failed: number, 
/**
 * URLs whose capture could not be saved in the case (disk full, say).
 */
unsaved: number, 
/**
 * URLs not started because the batch was cancelled.
 */
cancelled: number, elapsed_ms: number, };

/**
 * What rendered a browser capture: the facts a reviewer needs to reproduce the view.
 */
export type BrowserFacts = { 
/**
 * Product and version, e.g. `Chrome/156.0.8078.73`.
 */
product: string, user_agent: string, viewport: [number, number], device_scale: number, locale: string, timezone: string, 
/**
 * Installed extensions (Exhibit runs with none).
 */
extensions: Array<string>, headless: boolean, 
/**
 * The executable that was launched.
 */
executable: string, 
/**
 * The marketplace account that was logged in, if the page showed one (the
 * "virtual identity" of the Berkeley Protocol).
 */
logged_in_as: string | null, };

/**
 * `browser_status`'s result.
 */
export type BrowserStatus = { open: boolean, snaps: number, };

/**
 * What checking a bundle found, for people and for scripts.
 */
export type BundleCheck = { intact: boolean, files_checked: number, manifest_sha256: string | null, custody_head_seq: number | null, custody_head_hash: string | null, problems: Array<BundleProblemView>, };

/**
 * One problem found in a bundle: a stable code and one sentence.
 */
export type BundleProblemView = { code: string, message: string, };

/**
 * A suggested relisting, with its reasons and any decision taken on it.
 */
export type Candidate = { 
/**
 * The removed listing (the case's id).
 */
original: number, 
/**
 * The listing that may be it, back under a new link.
 */
relisting: number, marketplace: string, original_listing_id: string, relisting_listing_id: string, 
/**
 * When the original came down: the first capture that found it removed, else the
 * day the platform said so (RFC 3339, UTC).
 */
removed_on: string, 
/**
 * When the candidate was first captured.
 */
first_seen: string, reasons: Array<Reason>, 
/**
 * `suggested`, `confirmed` or `dismissed`.
 */
state: string, };

/**
 * Why Exhibit took a capture of its own accord.
 */
export type CaptureContext = { 
/**
 * Taken again to see what became of a listing the case already holds; the capture
 * belongs to that listing even when the page no longer names it (a 404, say).
 */
recapture_of?: ListingRef | null, 
/**
 * Found as a link on a store or search page the case holds: that page's capture id
 * (`exhibit capture --discovered-from`).
 */
discovered_from?: number | null, };

/**
 * One capture with everything recorded.
 */
export type CaptureDetail = { canonical_url: string | null, 
/**
 * The listing's main image as the page named it; its bytes, when they could be had,
 * are the `image` artifact.
 */
main_image: string | null, 
/**
 * What a storefront page showed about its seller (page kind `store`); left out of
 * the JSON when absent.
 */
store?: StoreFacts, 
/**
 * Where a checkout page's order ships and what it costs (page kind `checkout`);
 * left out of the JSON when absent.
 */
checkout?: CheckoutFacts, charset: string | null, http_version: string | null, headers: Array<Header>, tls: TlsFacts | null, notes: Array<string>, collector: Collector, environment: Environment, 
/**
 * The browser that rendered a browser-mode capture.
 */
browser: BrowserFacts | null, 
/**
 * The web archive an imported capture came from and its verified signature
 * (`signature` null: unsigned); null for a capture Exhibit took itself.
 */
archive: ArchiveSource | null, 
/**
 * Why Exhibit took the capture of its own accord (`recapture_of` a listing,
 * `discovered_from` a store or search page's capture); null when the user chose the URL.
 */
context: CaptureContext | null, id: number, mode: string, requested_url: string, final_url: string | null, status: CaptureStatus, http_status: number | null, page_kind: string | null, marketplace: string | null, listing_id: string | null, title: string | null, price: string | null, currency: string | null, seller: string | null, started_at: string, finished_at: string, remote_addr: string | null, redirects: Array<Redirect>, error: string | null, record_sha256: string, artifacts: Array<ArtifactSummary>, };

/**
 * `capture-done`: the batch ended.
 */
export type CaptureDone = { batch_id: number, summary: BatchSummary, 
/**
 * Whether the user cancelled it.
 */
cancelled: boolean, 
/**
 * Set only when the batch could not run at all (no browser found, say); then no
 * URL was captured.
 */
error?: AppError, };

/**
 * How a capture was taken.
 */
export type CaptureMode = "http" | "browser";

/**
 * How captures are taken.
 */
export type CaptureModeSetting = "browser" | "http";

/**
 * What happened to one URL.
 */
export type CaptureOutcome = { 
/**
 * Position of the URL in the input, from 0.
 */
index: number, url: string, 
/**
 * The stored capture's id; `None` only if it could not be saved.
 */
capture_id: number | null, status: CaptureStatus, http_status: number | null, title: string | null, 
/**
 * Why it is not `ok`, in one sentence.
 */
error: string | null, 
/**
 * The trusted time it got, when authorities were asked; `None` when none was
 * configured or it could not be saved.
 */
trusted_time: TrustedTime | null, };

/**
 * One page of the gallery.
 */
export type CapturePage = { 
/**
 * How many captures match, over all pages.
 */
total: number, items: Array<GalleryItem>, };

/**
 * `capture-progress`: one URL of a batch changed state.
 */
export type CaptureProgress = { batch_id: number, index: number, url: string, 
/**
 * `capturing`, `ok`, `blocked`, `removed`, `failed` or `cancelled`.
 */
state: ProgressState, capture_id?: number, title?: string, 
/**
 * Why it is not `ok`, in one sentence.
 */
reason?: string, };

/**
 * Which captures a gallery page shows.
 */
export type CaptureQuery = { offset?: number, limit?: number, 
/**
 * `ok`, `blocked`, `removed` or `failed`.
 */
status?: string | null, marketplace?: string | null, 
/**
 * Only captures the draft links to a right (`true`), or only those it does not.
 */
linked?: boolean | null, };

/**
 * The judgement on one capture.
 */
export type CaptureStatus = "ok" | "blocked" | "removed" | "failed";

/**
 * One capture as listed. Field names are a contract with outside scripts: only add.
 */
export type CaptureView = { id: number, mode: string, requested_url: string, final_url: string | null, status: CaptureStatus, http_status: number | null, page_kind: string | null, marketplace: string | null, listing_id: string | null, title: string | null, price: string | null, currency: string | null, seller: string | null, started_at: string, finished_at: string, remote_addr: string | null, redirects: Array<Redirect>, error: string | null, record_sha256: string, artifacts: Array<ArtifactSummary>, };

/**
 * What the app shows about the open case.
 */
export type CaseInfo = { path: string, title: string, captures: number, collector: Collector | null, };

/**
 * One fact that differs between two captures of a listing.
 */
export type Change = { 
/**
 * `status`, `price`, `title`, `seller` or `image`.
 */
field: string, from: string | null, to: string | null, };

/**
 * What a checkout (order confirmation before paying) page shows.
 */
export type CheckoutFacts = { 
/**
 * The marketplace's id of the listing being bought, by the extractor's URL rules for
 * listing ids, when every listing link, posted id and checkout URL parameter of the
 * order names the same one (None for an order of several). Kept here, not in
 * `ListingFacts::listing_id`, so a checkout never counts as a capture of the
 * listing itself.
 */
listing_id?: string | null, 
/**
 * The seller's shown name, where the page names it.
 */
seller?: string | null, 
/**
 * The seller's id, by the same rules as `ListingFacts::seller_id`, read from the
 * order's link to the seller's page.
 */
seller_id?: string | null, 
/**
 * The ship-to address as shown, on one line, without the recipient's name and phone
 * where the page shows them apart ("233 S Wacker Dr, Chicago, IL 60606, United
 * States"; a logged-in page may show only part of it).
 */
ship_to?: string | null, 
/**
 * The ship-to region read off the address: `US-IL`, or the country (`US`) alone
 * ([`region_of`]).
 */
ship_to_region?: string | null, 
/**
 * The order total, "." decimal point, digits as displayed.
 */
total?: string | null, 
/**
 * ISO 4217 code of the total.
 */
currency?: string | null, };

/**
 * Who collects the evidence. Printed in every packet and declaration.
 */
export type Collector = { name: string, organization?: string | null, role?: string | null, contact?: string | null, };

/**
 * A complaint checked against the case, without writing anything.
 */
export type ComplaintCheck = { venue: string, issues: Array<Issue>, 
/**
 * Listings in each batch the venue's limits call for.
 */
batches: Array<number>, 
/**
 * For a Schedule A filing: its table, what each defendant lacks and the joinder
 * report's facts.
 */
schedule_a: SchedulePreview | null, };

/**
 * A complaint as the user wrote it, before it is checked against the captures.
 */
export type ComplaintFile = { venue: Venue, 
/**
 * For `agency-letter`: who the letter goes to.
 */
addressee?: Addressee | null, 
/**
 * For an embassy: which embassy or attaché ("U.S. Embassy Beijing, IP Attaché").
 */
addressee_name?: string | null, rights_holder: Contact, 
/**
 * Set when someone files for the rights holder.
 */
agent?: Contact | null, 
/**
 * `[[right]]` tables.
 */
right?: Array<RightEntry>, 
/**
 * `[[listing]]` tables.
 */
listing?: Array<ListingEntry>, 
/**
 * The `[listings]` table: defaults, and `all_ok` to take in every `ok` capture.
 */
listings?: ListingDefaults | null, 
/**
 * Why these listings infringe, in the user's words.
 */
narrative?: string | null, 
/**
 * For Alibaba IPP: single listings or a whole store.
 */
complaint_type?: ComplaintType | null, alibaba?: AlibabaExtras | null, amazon?: AmazonExtras | null, ebay?: EbayExtras | null, ustr?: UstrExtras | null, agency?: AgencyExtras | null, schedule_a?: ScheduleAExtras | null, statements?: Statements, signature?: Signature | null, declaration?: Declarant | null, };

/**
 * Whether an Alibaba complaint is about single listings or a whole store.
 */
export type ComplaintType = "listing" | "store";

/**
 * A rights holder or agent as written in the file. Mirrors [`exhibit_domain::Party`],
 * whose role comes from where the table sits.
 */
export type Contact = { name?: string, organization?: string | null, address?: string | null, email?: string | null, phone?: string | null, };

/**
 * The counts behind every figure, for the case or one slice of it. A report is one
 * listing in one filing: a listing filed twice counts twice.
 */
export type Counts = { reported: number, 
/**
 * Came down: the latest capture after the filing shows it removed, or, with no
 * capture since, the platform said so.
 */
removed: number, 
/**
 * Of `removed`, how many rest on the platform's word alone (no capture since).
 */
removed_by_word_only: number, 
/**
 * The platform said removed, but a capture after that day found it live.
 */
removed_but_live: number, 
/**
 * The platform's latest answer is a rejection.
 */
rejected: number, 
/**
 * The seller sent a counter-notice (at any point).
 */
counter_noticed: number, 
/**
 * A counter-notice kept the listing up: its latest answer after one is
 * `reinstated`, `withdrawn` or `rejected`.
 */
counter_notice_succeeded: number, 
/**
 * Put back up after a removal (at any point).
 */
reinstated: number, pending: number, 
/**
 * `removed` over `reported`; null with nothing reported.
 */
takedown_rate: number | null, 
/**
 * `counter_notice_succeeded` over `reported`.
 */
counter_notice_success_rate: number | null, };

/**
 * One stored link of the chain.
 */
export type CustodyEvent = { seq: number, at: string, kind: string, 
/**
 * The detail JSON text exactly as hashed.
 */
detail: string, prev_hash: Digest, hash: Digest, };

/**
 * The custody log, and whether its chain of hashes is unbroken.
 */
export type CustodyStatus = { intact: boolean, events: Array<CustodyEvent>, 
/**
 * Each break, in one sentence; empty when intact.
 */
problems: Array<string>, };

/**
 * A window a venue gives the other side.
 */
export type Deadline = { what: string, closes_on: string, 
/**
 * Calendar days from today to the day it closes (negative: closed).
 */
days_left: number, open: boolean, };

/**
 * `[declaration]`: who makes the 28 U.S.C. § 1746 declaration, and where.
 */
export type Declarant = { 
/**
 * Signed inside the United States (its territories included) or not. Chooses the
 * wording of § 1746(2) or § 1746(1).
 */
within_us?: boolean | null, declarant?: string, title?: string | null, place?: string | null, 
/**
 * `YYYY-MM-DD`; the signature's date when left out.
 */
date?: string | null, };

/**
 * A listing of a defendant, as captured.
 */
export type DefendantListing = { 
/**
 * Its exhibit number in the packet, once numbered.
 */
exhibit: number | null, capture_id: number, url: string, 
/**
 * RFC 3339, UTC.
 */
captured_at: string, 
/**
 * `ok`, `blocked`, `removed` or `failed`.
 */
status: string, title: string | null, price: string | null, currency: string | null, 
/**
 * The right it infringes, as printed ("TM-US: Trademark 1234567 (USPTO)").
 */
right: string, 
/**
 * The main product image's 64-bit dHash, where the capture kept the image.
 */
image_dhash: number | null, 
/**
 * The picture source's key for its screenshot, when it has one.
 */
screenshot: string | null, };

/**
 * A seller of the case as a possible defendant: its evidence, and what a Schedule A
 * exhibit would still lack, in plain words. Field names are a contract: only add.
 */
export type DefendantView = { 
/**
 * What is missing for a Schedule A exhibit in the forum asked for.
 */
missing: Array<Gap>, 
/**
 * Its number in Schedule A, from 1, in the filing's fixed order.
 */
doe: number, 
/**
 * The extractor's marketplace name (`aliexpress`, `amazon`, `taobao`, …).
 */
marketplace: string, 
/**
 * The marketplace's own id for the seller or shop, where a page showed one.
 */
seller_id: string | null, 
/**
 * The name the seller sells under, as shown (the seller id when no page showed a
 * name).
 */
alias: string, 
/**
 * The storefront's URL: the storefront page captured, else none.
 */
store_url: string | null, 
/**
 * The listings the filing names, in exhibit order.
 */
listings: Array<DefendantListing>, 
/**
 * The storefront or seller profile page, the newest that shows where the seller is.
 */
storefront: EvidencePage | null, 
/**
 * The checkout page, the newest that ships to the forum (else the newest).
 */
checkout: EvidencePage | null, 
/**
 * Test purchases from this seller, in the order made.
 */
purchases: Array<Purchase>, 
/**
 * The case's listings of this seller last captured `blocked`, by URL: a court
 * cannot see what a CAPTCHA page hid.
 */
blocked_listings: Array<string>, };

/**
 * A SHA-256 digest.
 */
export type Digest = string;

/**
 * One listing a page links to. Field names are a contract with outside scripts.
 */
export type DiscoveredListing = { 
/**
 * The link, absolute, as the page gives it (without its `#fragment`).
 */
url: string, marketplace: string, 
/**
 * The marketplace's id of the listing, as its capture records it.
 */
listing_id: string, 
/**
 * Whether the case holds a capture of this listing already.
 */
in_case: boolean, 
/**
 * The case's listing id (`exhibit listings`), when it holds it.
 */
case_listing: number | null, };

/**
 * What a store or search page links to. Field names are a contract with outside scripts.
 */
export type Discovery = { 
/**
 * The capture of the store or search page.
 */
capture_id: number, 
/**
 * `store` or `search`.
 */
page_kind: string, marketplace: string | null, 
/**
 * The page's URL, as it was finally served.
 */
page_url: string, 
/**
 * The stored artifact the links were read from: `dom`, `decoded-body` or `body`.
 */
read_from: string, 
/**
 * In page order, each listing once.
 */
listings: Array<DiscoveredListing>, 
/**
 * How many of them the case holds already.
 */
in_case: number, 
/**
 * Whether the page links to more listings than were kept.
 */
cut: boolean, 
/**
 * What a reader should know about the list, in plain words (a cut, say).
 */
notes: Array<string>, };

/**
 * `[ebay]`.
 */
export type EbayExtras = { 
/**
 * The NOCI reason code for every listing, like "1.1".
 */
reason_code?: string | null, 
/**
 * Reason codes for particular infringement kinds, overriding `reason_code`:
 * `reason_codes = { copied-photos = "4.1" }`.
 */
reason_codes?: { [key in Infringement]?: string }, 
/**
 * Shown to the seller; at most 1,000 characters.
 */
message_to_seller?: string | null, 
/**
 * The brand name; at most 50 characters.
 */
brand?: string | null, };

/**
 * Where and with what a capture was made.
 */
export type Environment = { tool: string, tool_version: string, user_agent: string, hostname: string, os: string, 
/**
 * The collector's local time zone offset when the capture ran, e.g. `+08:00`.
 */
local_utc_offset: string, 
/**
 * Where the times came from. Until trusted timestamps exist this is the local system clock.
 */
clock_source: string, 
/**
 * Whether a proxy was used (never picked up silently from the environment).
 */
proxy: string | null, 
/**
 * `--resolve` overrides in force, as `HOST:PORT:ADDR`.
 */
resolve_overrides: Array<string>, 
/**
 * Extra trusted roots in force, as SHA-256 of their DER.
 */
extra_root_certificates: Array<Digest>, };

/**
 * A storefront or checkout page of a defendant.
 */
export type EvidencePage = { 
/**
 * Its exhibit number in the packet, once numbered.
 */
exhibit: number | null, capture_id: number, url: string, 
/**
 * RFC 3339, UTC.
 */
captured_at: string, 
/**
 * What a storefront page showed.
 */
store: StoreFacts | null, 
/**
 * What a checkout page showed.
 */
checkout: CheckoutFacts | null, 
/**
 * The picture source's key for its screenshot, when it has one.
 */
screenshot: string | null, };

/**
 * `export-done`: the export ended, with its report or its error (`cancelled` when the
 * user cancelled it).
 */
export type ExportDone = { job_id: number, report?: ExportReport, error?: AppError, };

/**
 * `export-progress`: one step of an export.
 */
export type ExportProgress = { job_id: number, step: string, done: number, total: number, };

/**
 * What an export wrote.
 */
export type ExportReport = { packet: string, bundle: string, filing_sheet: string | null, url_lists: Array<string>, uploads: Array<string>, pages: number, bates_first: string, bates_last: string, listings: number, batches: number, manifest_sha256: string, bundle_sha256: string, 
/**
 * Warnings the venue's rules raised (errors stop the export).
 */
warnings: Array<Issue>, 
/**
 * A Schedule A filing's defendants, its table for the clerk and its joinder report.
 */
defendants: number, schedule_a_csv: string | null, joinder_report: string | null, 
/**
 * An Alibaba complaint's test-buy report, written beside the packet.
 */
test_buy_report: string | null, };

/**
 * One fact about a pair of defendants.
 */
export type Fact = { 
/**
 * `marketplace`, `image`, `price`, `title`, `address` or `ship_from`.
 */
what: string, 
/**
 * What the pages show, in one sentence fragment.
 */
detail: string, };

/**
 * One listing of a filing.
 */
export type FiledListingView = { 
/**
 * The case's listing id.
 */
listing: number, 
/**
 * The marketplace's listing id.
 */
listing_id: string | null, marketplace: string | null, url: string | null, 
/**
 * The capture the complaint showed.
 */
capture_id: number | null, 
/**
 * The latest outcome recorded (`pending` when none is).
 */
outcome: Outcome, outcomes: Array<OutcomeRow>, };

/**
 * A filing to record. `listings` are the case's listing ids; `export` is the manifest
 * SHA-256 of an export whose listings the filing reported (one of the two is needed).
 */
export type FilingRequest = { venue: string, reference: string, 
/**
 * `YYYY-MM-DD` or RFC 3339.
 */
filed: string, listings: Array<number>, export?: string | null, };

/**
 * A filing with its listings, their outcomes and the venue's open windows.
 */
export type FilingView = { id: number, venue: string, reference: string, filed_on: string, export_sha256: string | null, recorded_at: string, listings: Array<FiledListingView>, 
/**
 * The windows the venue gives the seller, counted in business days from the day
 * filed (public holidays not counted).
 */
deadlines: Array<Deadline>, };

/**
 * One card of the gallery: the capture as `list --json` prints it, and its trusted
 * time, so a card can say whether an authority vouches for when it was taken.
 */
export type GalleryItem = { 
/**
 * The newest verified RFC 3161 token's time; `None` when the capture has none.
 */
trusted_time: TrustedTime | null, id: number, mode: string, requested_url: string, final_url: string | null, status: CaptureStatus, http_status: number | null, page_kind: string | null, marketplace: string | null, listing_id: string | null, title: string | null, price: string | null, currency: string | null, seller: string | null, started_at: string, finished_at: string, remote_addr: string | null, redirects: Array<Redirect>, error: string | null, record_sha256: string, artifacts: Array<ArtifactSummary>, };

/**
 * One thing missing from a defendant's evidence (or the filing's), in plain words.
 */
export type Gap = { 
/**
 * The defendant's Doe number; 0 for the filing as a whole.
 */
doe: number, 
/**
 * `no_forum_sale`, `no_test_purchase`, `no_location`, `blocked_listing` or
 * `too_many_defendants`.
 */
code: string, 
/**
 * A sentence that says what is missing and what to do.
 */
message: string, };

/**
 * Alibaba IPP's good-faith programme lines and where the case stands.
 */
export type GoodFaith = { from: string, to: string, reported: number, takedown_rate: number | null, takedown_rate_needed: number, counter_notice_success_rate: number | null, counter_notice_success_rate_allowed: number, meets: boolean, };

/**
 * One handover of the purchased item.
 */
export type Handover = { from: string, to: string, at: string, place: string, seal: string | null, };

/**
 * One response header, in the order received.
 */
export type Header = { name: string, 
/**
 * The value; bytes that are not UTF-8 are replaced and `value_was_lossy` is set.
 */
value: string, value_was_lossy?: boolean, };

/**
 * One capture in a listing's history, with what changed since the capture before it
 * that showed the listing or its removal (blocked and failed captures prove nothing
 * either way, so they are shown but never compared).
 */
export type HistoryEntry = { capture_id: number, captured_at: string, mode: string, status: CaptureStatus, title: string | null, price: string | null, currency: string | null, seller_id: string | null, seller: string | null, image_sha256: string | null, changed: Array<Change>, };

/**
 * What [`Case::import_wacz`] brought in.
 */
export type ImportReport = { path: string, 
/**
 * SHA-256 of the `.wacz` file, hex.
 */
sha256: string, 
/**
 * SHA-256 of its `datapackage.json`, hex.
 */
datapackage_sha256: string, 
/**
 * The software that wrote it, as its `datapackage.json` says.
 */
software: string | null, 
/**
 * Pages in its page list: each became one capture.
 */
pages: number, 
/**
 * WARC records read and checked.
 */
records_checked: number, 
/**
 * Of those, records that declare no digest (only `datapackage.json`'s hash of their
 * WARC vouches for them).
 */
unverified_records: number, 
/**
 * Whether `datapackage-digest.json` carries a signature; when it does, it verified
 * (a signature that fails imports nothing) and `signature` describes it.
 */
signature_present: boolean, 
/**
 * Who signed the WACZ and when, as verified; `None`: it is unsigned. Every capture
 * imported records the same in its `archive`.
 */
signature: ArchiveSignature | null, 
/**
 * `signature`'s signer on its own (a domain, or `key sha256:…`), for a front end
 * that shows one line.
 */
signer: string | null, 
/**
 * `signature`'s signed time on its own, RFC 3339 UTC.
 */
signed_at: string | null, captures: Array<ImportedCapture>, };

/**
 * One page of a WACZ, imported.
 */
export type ImportedCapture = { capture_id: number, 
/**
 * The page's id in the WACZ's page list.
 */
page_id: string, url: string, status: CaptureStatus, http_status: number | null, title: string | null, 
/**
 * Why it is not `ok`, in one sentence.
 */
error: string | null, 
/**
 * The WARC record its body came from.
 */
record_id: string | null, };

/**
 * How a listing infringes.
 */
export type Infringement = "counterfeit" | "trademark-misuse" | "copied-photos" | "copied-text" | "design-copy";

/**
 * The kind of an intellectual-property right.
 */
export type IpRightKind = "trademark" | "copyright" | "design" | "patent";

/**
 * One problem found in a complaint.
 */
export type Issue = { severity: Severity, 
/**
 * Where: a dotted path into the complaint file, like `right[0].certificates`.
 */
field: string, 
/**
 * A plain sentence that says what is wrong and what to do.
 */
message: string, };

/**
 * One handover of the purchased item.
 */
export type ItemCustodyRequest = { purchase: number, from: string, to: string, 
/**
 * RFC 3339, or `YYYY-MM-DD`.
 */
at: string, place: string, seal?: string | null, note?: string | null, };

/**
 * One handover of the item.
 */
export type ItemCustodyRow = { id: number, from: string, to: string, at: string, place: string, seal: string | null, note: string | null, recorded_at: string, };

/**
 * The `[listings]` table.
 */
export type ListingDefaults = { 
/**
 * Take in every capture whose status is `ok` (blocked, removed and failed captures
 * are left out without comment).
 */
all_ok?: boolean, right?: string | null, infringement?: Infringement | null, };

/**
 * One `[[listing]]` table: a capture offered as evidence.
 */
export type ListingEntry = { 
/**
 * The capture's id in the case.
 */
capture: number, 
/**
 * The right's `id`; the `[listings]` default when left out.
 */
right?: string | null, 
/**
 * The `[listings]` default when left out.
 */
infringement?: Infringement | null, notes?: string | null, 
/**
 * The user's English translation of the listing's title.
 */
title_translation?: string | null, purpose?: Purpose, };

/**
 * A filing as it concerns one listing.
 */
export type ListingFiling = { filing: number, venue: string, reference: string, filed_on: string, 
/**
 * The latest outcome recorded (`pending` when none is).
 */
outcome: Outcome, outcomes: Array<OutcomeRow>, };

/**
 * A listing with every capture of it in time order, and the filings that reported it.
 */
export type ListingHistory = { listing: ListingView, captures: Array<HistoryEntry>, filings: Array<ListingFiling>, };

/**
 * A listing by the marketplace's own names.
 */
export type ListingRef = { marketplace: string, listing_id: string, };

/**
 * One listing of the case. Field names are a contract with outside scripts: only add.
 */
export type ListingView = { 
/**
 * The case's own listing id: what every command's LISTING_ID means.
 */
id: number, marketplace: string, 
/**
 * The marketplace's own id for the listing.
 */
listing_id: string, seller_id: string | null, seller: string | null, captures: number, last_status: CaptureStatus, last_captured_at: string, first_captured_at: string, last_capture_id: number, title: string | null, url: string, };

/**
 * Whether a notorious market is a website or a place.
 */
export type MarketKind = "online" | "physical";

/**
 * What happened to one listing of one filing, as the user records answers coming in.
 */
export type Outcome = "pending" | "removed" | "rejected" | "counter-noticed" | "reinstated" | "withdrawn" | "no-answer";

/**
 * An answer to record for one listing of a filing.
 */
export type OutcomeRequest = { filing: number, listing: number, outcome: Outcome, 
/**
 * `YYYY-MM-DD` or RFC 3339.
 */
date: string, reason?: string | null, 
/**
 * The platform's answer (an .eml, a PDF, a screenshot), attached and hashed.
 */
attach?: string | null, };

/**
 * One recorded answer.
 */
export type OutcomeRow = { id: number, 
/**
 * `pending`, `removed`, `rejected`, `counter-noticed`, `reinstated`, `withdrawn` or
 * `no-answer`: the domain's `Outcome`.
 */
outcome: Outcome, on_date: string, reason: string | null, 
/**
 * The attached answer (an email, a PDF, a screenshot), by its name in the case.
 */
attachment: string | null, attachment_sha256: string | null, recorded_at: string, };

/**
 * A pair of defendants, by Doe number (`a < b`), with what the pages show of both.
 */
export type Pair = { a: number, b: number, shared: Array<Fact>, differs: Array<Fact>, };

/**
 * One thing found wrong, named precisely enough to act on.
 */
export type Problem = { 
/**
 * A stable code: `page_damaged`, `artifact_changed`, `artifact_unreadable`,
 * `artifact_not_in_log`, `record_changed`, `capture_not_in_log`, `event_missing`,
 * `event_changed`, `event_unlinked`, `file_changed`, `timestamp_changed`,
 * `timestamp_not_in_log`, `timestamp_mismatch`, `campaign_changed`,
 * `campaign_not_in_log`, `facts_changed`, `purchase_changed`, `purchase_not_in_log`.
 */
code: string, capture_id?: number, artifact?: string, event_seq?: number, message: string, };

/**
 * A test purchase, with what has been recorded of it so far.
 */
export type Purchase = { 
/**
 * The case's purchase id.
 */
id: number, order_number: string, 
/**
 * `YYYY-MM-DD`.
 */
ordered_on: string, platform: string, 
/**
 * The buyer account used (a persona).
 */
buyer: string | null, 
/**
 * A decimal, as text.
 */
amount: string, currency: string, ship_to: string, 
/**
 * `US-IL`, read off the ship-to address.
 */
ship_to_region: string | null, ship_from: string | null, carrier: string | null, tracking: string | null, 
/**
 * `YYYY-MM-DD`.
 */
delivered_on: string | null, verdict: Verdict | null, files: Array<PurchaseFile>, 
/**
 * The physical item's handovers, in the order recorded.
 */
custody: Array<Handover>, };

/**
 * A file of a purchase (order confirmation, receipt, label, photos, comparison).
 */
export type PurchaseFile = { 
/**
 * The case's id for the file.
 */
id: number, 
/**
 * `order`, `receipt`, `label`, `parcel-photo`, `product-photo` or `comparison`.
 */
kind: string, name: string, media_type: string, 
/**
 * Lower-case hex.
 */
sha256: string, 
/**
 * Where the bundle keeps it.
 */
bundle_path: string, 
/**
 * The picture source's key, for a PNG or JPEG the packet can print.
 */
picture: string | null, };

/**
 * A file of a purchase, without its bytes.
 */
export type PurchaseFileRow = { id: number, 
/**
 * `order`, `receipt`, `label`, `parcel-photo`, `product-photo` or `comparison`.
 */
kind: string, file_name: string, media_type: string, size: number, sha256: string, added_at: string, };

/**
 * A test purchase to record.
 */
export type PurchaseRequest = { 
/**
 * The case's listing id.
 */
listing: number, order: string, 
/**
 * `YYYY-MM-DD`.
 */
date: string, 
/**
 * A decimal such as `12.50`.
 */
amount: string, 
/**
 * Three letters, such as `USD`.
 */
currency: string, 
/**
 * The address shipped to, such as "Chicago, IL, US".
 */
ship_to: string, 
/**
 * The buyer account used: a persona, never the brand's own.
 */
buyer?: string | null, 
/**
 * The payment card's last four digits.
 */
payment?: string | null, };

/**
 * A purchase as stored, with everything recorded about it since.
 */
export type PurchaseRow = { id: number, 
/**
 * The case's listing id.
 */
listing: number, order_number: string, ordered_on: string, platform: string, buyer: string | null, amount: string, currency: string, payment_last4: string | null, ship_to: string, ship_to_region: string | null, recorded_at: string, 
/**
 * Oldest first.
 */
updates: Array<PurchaseUpdateRow>, 
/**
 * In the order attached.
 */
files: Array<PurchaseFileRow>, verdict: VerdictRow | null, 
/**
 * Oldest first, in the order recorded.
 */
custody: Array<ItemCustodyRow>, };

/**
 * Shipping facts of a purchase as they arrive; at least one.
 */
export type PurchaseUpdateRequest = { purchase: number, tracking?: string | null, carrier?: string | null, ship_from?: string | null, 
/**
 * `YYYY-MM-DD`.
 */
delivered?: string | null, };

/**
 * Shipping facts recorded at one time.
 */
export type PurchaseUpdateRow = { id: number, tracking: string | null, carrier: string | null, ship_from: string | null, delivered_on: string | null, recorded_at: string, };

/**
 * A test purchase with its listing, seller and everything recorded since. Field names
 * are a contract with outside scripts: only add. The purchase as stored comes first in
 * the JSON, its fields at the top level, then what the view adds.
 */
export type PurchaseView = { 
/**
 * The marketplace's own id for the listing.
 */
listing_id: string | null, url: string | null, title: string | null, seller_id: string | null, seller: string | null, 
/**
 * The latest of each shipping fact given.
 */
tracking: string | null, carrier: string | null, ship_from: string | null, delivered_on: string | null, id: number, 
/**
 * The case's listing id.
 */
listing: number, order_number: string, ordered_on: string, platform: string, buyer: string | null, amount: string, currency: string, payment_last4: string | null, ship_to: string, ship_to_region: string | null, recorded_at: string, 
/**
 * Oldest first.
 */
updates: Array<PurchaseUpdateRow>, 
/**
 * In the order attached.
 */
files: Array<PurchaseFileRow>, verdict: VerdictRow | null, 
/**
 * Oldest first, in the order recorded.
 */
custody: Array<ItemCustodyRow>, };

/**
 * Why a listing is in the complaint.
 */
export type Purpose = "live" | "takedown-proof";

/**
 * Why two listings were linked.
 */
export type Reason = { "kind": "same_seller_id", seller_id: string, } | { "kind": "same_seller_name", seller: string, } | { "kind": "same_image", original_capture: number, candidate_capture: number, distance: number, algorithm: string, } | { "kind": "same_title", title: string, };

/**
 * `recapture-done`: the recapture ended, with every listing's result.
 */
export type RecaptureDone = { job_id: number, summary: RecaptureSummary, results: Array<RecaptureResult>, 
/**
 * Whether the user cancelled it.
 */
cancelled: boolean, 
/**
 * Set only when it could not run at all (no filing yet, no browser found); then no
 * listing was captured.
 */
error?: AppError, };

/**
 * `recapture-progress`: one listing's capture changed state (as `capture-progress`;
 * `index` counts within the listings taken in one mode, so the URL is what names it).
 */
export type RecaptureProgress = { job_id: number, index: number, url: string, 
/**
 * `capturing`, `ok`, `blocked`, `removed`, `failed` or `cancelled`.
 */
state: ProgressState, capture_id?: number, reason?: string, };

/**
 * What became of one listing. Field names are a contract with outside scripts.
 */
export type RecaptureResult = { 
/**
 * The case's listing id (the `id` of `exhibit listings --json`).
 */
listing: number, 
/**
 * The marketplace's listing id.
 */
listing_id: string, marketplace: string, url: string, mode: string, 
/**
 * The new capture; null only if it could not be saved.
 */
capture_id: number | null, 
/**
 * The new capture's status: `ok`, `blocked`, `removed` or `failed`.
 */
status: CaptureStatus, 
/**
 * `live`, `removed`, `blocked` or `failed`.
 */
result: string, 
/**
 * What differs from the listing's last capture that showed it (or its removal).
 */
changed: Array<Change>, 
/**
 * The filings whose platform said this listing was removed, while this capture
 * found it live.
 */
said_removed: Array<SaidRemoved>, 
/**
 * One plain sentence.
 */
message: string, };

/**
 * `recapture-result`: what became of one listing (the facade's `RecaptureResult`).
 */
export type RecaptureResultEvent = { job_id: number, result: RecaptureResult, };

/**
 * `start_recapture`'s result.
 */
export type RecaptureStarted = { job_id: number, };

/**
 * The end of a recapture.
 */
export type RecaptureSummary = { total: number, live: number, removed: number, blocked: number, failed: number, 
/**
 * Live although the platform said it removed them.
 */
live_though_said_removed: number, cancelled: number, elapsed_ms: number, };

/**
 * A case opened before, for the start screen.
 */
export type RecentCase = { path: string, title: string, 
/**
 * When it was last opened, UTC, RFC 3339.
 */
opened_at: string, };

/**
 * One redirect hop, exactly as the server sent it.
 */
export type Redirect = { 
/**
 * The URL that answered with a redirect.
 */
url: string, status: number, 
/**
 * The `Location` header as sent (it may be relative).
 */
location: string, };

/**
 * What `relisted` found.
 */
export type Relistings = { threshold: number, algorithm: string, candidates: Array<Candidate>, 
/**
 * Confirmed relistings (the latest decision on each pair).
 */
confirmed: number, 
/**
 * Main images hashed now because no hash was stored yet.
 */
hashed_now: number, };

/**
 * A seller reported more than once.
 */
export type RepeatSeller = { seller: string, marketplace: string, reported_listings: number, relisted: number, };

/**
 * One `[[right]]` table: a registration, with the user's short label for it.
 */
export type RightEntry = { 
/**
 * The user's label, like `TM-1`; listings name the right by it.
 */
id: string, kind: IpRightKind, registration_number?: string | null, 
/**
 * The office or jurisdiction: USPTO, CNIPA, EUIPO and so on.
 */
office?: string | null, 
/**
 * Nice classes (or Locarno classes for designs). Numbers or text.
 */
classes?: Array<string>, 
/**
 * Who owns the right; the rights holder when left out.
 */
owner?: string | null, 
/**
 * Certificate files, relative to the complaint file. The caller reads and hashes
 * them; this crate only carries the names.
 */
certificates?: Array<string>, 
/**
 * For a copyright: what the work is ("Product photographs of the Model 7 lantern").
 */
work_description?: string | null, 
/**
 * For a copyright: where the original is published.
 */
work_link?: string | null, };

/**
 * A platform's answer that a capture contradicts.
 */
export type SaidRemoved = { filing: number, venue: string, reference: string, on_date: string, };

/**
 * `[schedule_a]`: the court and the forum of a Schedule A filing. The defendants are
 * the sellers of the complaint's listings, each with its storefront, checkout and test
 * purchases from the case.
 */
export type ScheduleAExtras = { 
/**
 * The court, "United States District Court for the Northern District of Illinois".
 */
court?: string | null, 
/**
 * The docket number once the case is filed.
 */
case_number?: string | null, 
/**
 * The forum state as a region code (`US-IL`, the default): where a sale or a
 * checkout must ship for the court to reach the seller.
 */
forum?: string | null, };

/**
 * What the complaint step shows of a Schedule A filing before it is exported: the
 * table, what each defendant lacks and the joinder report's facts. Field names are a
 * contract: only add.
 */
export type SchedulePreview = { forum: string, rows: Array<ScheduleRow>, gaps: Array<Gap>, pairs: Array<Pair>, };

/**
 * One row of Schedule A. Courts describe defendants by seller name, URL "and
 * sometimes a seller ID"; this carries all of them.
 */
export type ScheduleRow = { doe: number, alias: string, seller_id: string, store_url: string, marketplace: string, listing_urls: Array<string>, };

/**
 * A seller: the marketplace's seller or shop id where a page showed one, else the
 * shown name.
 */
export type SellerView = { marketplace: string, seller_id: string | null, 
/**
 * The newest name shown for the seller.
 */
name: string | null, 
/**
 * The case's listing ids found under this seller.
 */
listings: Array<number>, first_seen: string, last_seen: string, };

/**
 * The user's capture settings.
 */
export type Settings = { capture_mode: CaptureModeSetting, 
/**
 * Captures in flight at once: tabs in browser mode, connections in HTTP mode.
 */
concurrency: number, 
/**
 * RFC 3161 time-stamp authorities asked for a trusted time after each capture and
 * for each export's manifest, in order. Empty: no trusted time.
 */
tsa_urls?: Array<string>, 
/**
 * Extra root certificates (PEM files) trusted for the authorities' certificates.
 */
tsa_roots?: Array<string>, 
/**
 * The address of the signed update manifest (`https://…`). `None`: the app never
 * looks for updates (see `updates.rs`).
 */
update_url?: string | null, };

/**
 * How serious an issue is.
 */
export type Severity = "error" | "warning";

/**
 * `[signature]`.
 */
export type Signature = { name?: string, title?: string | null, 
/**
 * `YYYY-MM-DD`, quoted or as a TOML date.
 */
date?: string | null, place?: string | null, };

/**
 * A capture left out of a WACZ.
 */
export type SkippedCapture = { capture_id: number, 
/**
 * One sentence.
 */
reason: string, };

/**
 * `[statements]`: the statements the user accepts by setting them to true.
 */
export type Statements = { 
/**
 * A good-faith belief that the use is not authorised by the owner, its agent or
 * the law (for a DSA notice: a bona fide belief that the notice is accurate and
 * complete).
 */
good_faith?: boolean, 
/**
 * The notice is accurate, sworn under penalty of perjury.
 */
accuracy_under_penalty_of_perjury?: boolean, 
/**
 * The signer owns the right or is authorised to act for its owner.
 */
authorised?: boolean, };

/**
 * The figures of a campaign. Field names are a contract with outside scripts: only add.
 */
export type Stats = { 
/**
 * Filings counted: those filed on or after this day (all when null).
 */
since: string | null, today: string, 
/**
 * Median calendar days from the filing to the removal, dated by the first capture
 * that found the listing removed, else by the platform's answer.
 */
median_days_to_removal: number | null, 
/**
 * Of the listings removed at least `stay_down_days` ago, the share neither seen
 * live again, reinstated nor confirmed relisted.
 */
stay_down_rate: number | null, stay_down_days: number, stay_down_eligible: number, 
/**
 * Confirmed relistings of reported listings.
 */
relisted: number, 
/**
 * Confirmed relistings over removed reports.
 */
relisting_rate: number | null, by_venue: { [key in string]: Counts }, by_marketplace: { [key in string]: Counts }, by_seller: { [key in string]: Counts }, 
/**
 * Sellers with two or more reported listings, or a confirmed relisting.
 */
repeat_sellers: Array<RepeatSeller>, 
/**
 * Alibaba's good-faith programme over the three months to today: a takedown rate
 * of at least 90 % and at most 5 % successful counter-notices.
 */
good_faith: GoodFaith | null, reported: number, 
/**
 * Came down: the latest capture after the filing shows it removed, or, with no
 * capture since, the platform said so.
 */
removed: number, 
/**
 * Of `removed`, how many rest on the platform's word alone (no capture since).
 */
removed_by_word_only: number, 
/**
 * The platform said removed, but a capture after that day found it live.
 */
removed_but_live: number, 
/**
 * The platform's latest answer is a rejection.
 */
rejected: number, 
/**
 * The seller sent a counter-notice (at any point).
 */
counter_noticed: number, 
/**
 * A counter-notice kept the listing up: its latest answer after one is
 * `reinstated`, `withdrawn` or `rejected`.
 */
counter_notice_succeeded: number, 
/**
 * Put back up after a removal (at any point).
 */
reinstated: number, pending: number, 
/**
 * `removed` over `reported`; null with nothing reported.
 */
takedown_rate: number | null, 
/**
 * `counter_notice_succeeded` over `reported`.
 */
counter_notice_success_rate: number | null, };

/**
 * What a storefront or seller profile page shows about the seller, each as shown
 * (trimmed, on one line). A court asks where a defendant is: `address` and `location`
 * are what the page itself says, never inferred.
 */
export type StoreFacts = { 
/**
 * The shop's shown name ("ACME Lights Store"; the store header, Amazon's seller
 * name, `Store name:`).
 */
shop_name?: string | null, 
/**
 * The legal business name where the page shows one: Amazon's `Business Name:`,
 * AliExpress's `Company name:`, the 企业名称 of a Taobao/Tmall business licence panel.
 */
business_name?: string | null, 
/**
 * The business address as shown: Amazon's `Business Address:` rows joined with
 * ", ", a licence panel's 地址 / 住所, AliExpress's `Address:`.
 */
address?: string | null, 
/**
 * The location as shown where there is no full address ("Zhejiang, China", 所在地).
 */
location?: string | null, 
/**
 * The rating as shown ("4.7 out of 5 | 96% positive in the last 12 months", "95.8%
 * Positive feedback"), else the page's JSON-LD organisation rating ("4.8").
 */
rating?: string | null, 
/**
 * When the store opened, as shown ("Open since: Mar 14, 2019", "2019-03-14").
 */
opened?: string | null, };

/**
 * How strong a new passphrase is, for a meter shown while the user types.
 */
export type Strength = { 
/**
 * zxcvbn's score, 0 (guessed at once) to 4 (very hard to guess).
 */
score: number, 
/**
 * Whether [`Store::create`] and a passphrase change will accept it.
 */
acceptable: boolean, warning: string | null, suggestions: Array<string>, };

/**
 * The campaign week by week, as the agency packet draws it ("Week by week") and the
 * app shows it: the same figures from the same computation.
 */
export type Timeline = { 
/**
 * The day it runs to (UTC), `YYYY-MM-DD`.
 */
today: string, 
/**
 * From the first filing's week to today's, at most 104 weeks (older ones are
 * summed into the first); empty before any filing.
 */
weeks: Array<Week>, };

/**
 * The TLS facts of an HTTPS capture.
 */
export type TlsFacts = { 
/**
 * SHA-256 over the DER of the server's leaf certificate; the DER itself is the `certificate` artifact.
 */
peer_certificate_sha256: Digest | null, };

/**
 * What one capture got.
 */
export type TrustedTime = { "state": "stamped", 
/**
 * The authority's time, RFC 3339 UTC.
 */
gen_time: string, tsa_name: string, serial: string, 
/**
 * How long after the capture ended.
 */
delay_ms: number, } | { "state": "missing", reason: string, };

/**
 * An update the manifest offers.
 */
export type UpdateOffer = { current_version: string, version: string, notes: string | null, 
/**
 * When it was published, RFC 3339, if the manifest says.
 */
date: string | null, };

/**
 * `[ustr]`: the docket and one `[[ustr.market]]` per market.
 */
export type UstrExtras = { 
/**
 * The regulations.gov docket, like `USTR-2025-0020`.
 */
docket?: string | null, 
/**
 * The review's year.
 */
year?: number | null, 
/**
 * This year's focus, in the submitter's words.
 */
focus?: string | null, market?: Array<UstrMarket>, };

/**
 * One market in a USTR comment, with the fields USTR asks for.
 */
export type UstrMarket = { name?: string, kind?: MarketKind, 
/**
 * Domain names or URLs, past and present.
 */
urls?: Array<string>, domain_registration?: string | null, hosting_provider?: string | null, operator?: string | null, 
/**
 * Where the operator (or the physical market) is: city and country.
 */
location?: string | null, traffic?: string | null, revenue_sources?: string | null, government_links?: string | null, goods?: string | null, volume?: string | null, harm?: string | null, harm_change?: string | null, health_safety_risks?: string | null, enforcement_actions?: string | null, rights_holder_actions?: string | null, operator_measures?: string | null, };

/**
 * Where a complaint is sent.
 */
export type Venue = "alibaba-ipp" | "amazon" | "ebay-vero" | "dmca" | "eu-dsa" | "ustr-notorious-markets" | "agency-letter" | "schedule-a";

/**
 * The comparison with a genuine item.
 */
export type Verdict = { 
/**
 * `counterfeit`, `genuine` or `inconclusive`.
 */
verdict: string, by: string, method: string, };

/**
 * The verdict of the comparison with a genuine item.
 */
export type VerdictRequest = { purchase: number, 
/**
 * `counterfeit`, `genuine` or `inconclusive`.
 */
verdict: string, by: string, method: string, };

/**
 * The comparison's verdict.
 */
export type VerdictRow = { id: number, verdict: string, by: string, method: string, recorded_at: string, };

/**
 * The outcome of [`Store::verify`].
 */
export type VerifyReport = { ok: boolean, problems: Array<Problem>, 
/**
 * Pages whose HMAC was checked straight from disk (0 for the quick pass).
 */
pages_checked: number, captures_checked: number, artifacts_checked: number, bytes_checked: number, events_checked: number, 
/**
 * The hash of the newest custody event, if any.
 */
custody_head: Digest | null, };

/**
 * What [`Case::export_wacz`] wrote.
 */
export type WaczReport = { path: string, 
/**
 * Pages written: one per capture, less those skipped.
 */
pages: number, 
/**
 * WARC records, the `warcinfo` record included.
 */
records: number, 
/**
 * Size of the `.wacz` file.
 */
bytes: number, 
/**
 * SHA-256 of the `.wacz` file, hex.
 */
sha256: string, 
/**
 * SHA-256 of its `datapackage.json`, which lists every other entry's hash.
 */
datapackage_sha256: string, 
/**
 * Captures that could not be written as a page (a requested URL that is not a URL,
 * say), each with why.
 */
skipped: Array<SkippedCapture>, };

/**
 * One week of the timeline (Monday to Sunday, UTC).
 */
export type Week = { 
/**
 * The Monday it starts, `YYYY-MM-DD`.
 */
monday: string, 
/**
 * Listings reported in filings made that week (one a listing a filing).
 */
filed: number, 
/**
 * Reported listings that came down that week: by the first capture that found the
 * listing removed, else by the platform's answer.
 */
removed: number, 
/**
 * Confirmed relistings first seen that week.
 */
relisted: number, 
/**
 * Reported listings not known to be down at the end of the week.
 */
still_live: number, };

// ---- Rules and limits (crates/exhibit/src/rules.rs, exhibit-venues) ----

/** Captures at once in browser mode when the user does not say. */
export const DEFAULT_BROWSER_CONCURRENCY = 2;

/** Captures at once in quick HTTP mode when the user does not say. */
export const DEFAULT_HTTP_CONCURRENCY = 8;

/** The longest Bates prefix, in characters. */
export const MAX_BATES_PREFIX_CHARS = 20;

/** Defendants in one Schedule A filing before validation warns. */
export const SCHEDULE_A_MAX_DEFENDANTS = 100;

/** The longest message to the seller eBay VeRO takes. */
export const EBAY_MESSAGE_MAX_CHARS = 1000;

/** The longest brand name eBay VeRO takes. */
export const EBAY_BRAND_MAX_CHARS = 50;

/** The region a Schedule A filing's forum is when none is given. */
export const SCHEDULE_A_DEFAULT_FORUM = "US-IL";

/** What the backend says of a Bates prefix it refuses. */
export const BATES_PREFIX_PROBLEM = "A Bates prefix is 1 to 20 letters, digits, '-' or '_', such as ACME-.";

/** Listings one complaint may carry at each venue (null: no limit). */
export const MAX_LISTINGS_PER_BATCH: Record<Venue, number | null> = {
  "alibaba-ipp": 300,
  "amazon": 50,
  "ebay-vero": null,
  "dmca": null,
  "eu-dsa": null,
  "ustr-notorious-markets": null,
  "agency-letter": null,
  "schedule-a": null,
};
