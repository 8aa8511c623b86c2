// The one module that talks to the Rust backend (docs/APP-API.md). Nothing else in the
// UI imports @tauri-apps: components call these typed functions, and every rejection
// arrives as an AppError {code, message}.

import { invoke } from '@tauri-apps/api/core';
import { listen, type UnlistenFn } from '@tauri-apps/api/event';
import { getCurrentWebview } from '@tauri-apps/api/webview';

import type { ComplaintFile } from './complaint';
import { toAppError } from './errors';
import type {
  About,
  AppError,
  Attachment,
  Candidate,
  BatchId,
  BrowserStatus,
  BundleCheck,
  CaptureDetail,
  CaptureDoneEvent,
  CaptureMode,
  CaptureOutcome,
  CapturePage,
  CaptureProgressEvent,
  CaptureQuery,
  CaseCheck,
  CaseInfo,
  Collector,
  ComplaintCheck,
  CustodyLog,
  DefendantView,
  Discovery,
  ExportDoneEvent,
  ExportProgressEvent,
  FileDrop,
  FilingRequest,
  FilingView,
  HandoverRequest,
  JobId,
  ListingHistory,
  ListingView,
  MultiPathPurpose,
  OutcomeRequest,
  PurchaseRequest,
  PurchaseUpdateRequest,
  PurchaseView,
  RecaptureDoneEvent,
  RecaptureProgressEvent,
  RecaptureRequest,
  RecaptureResultEvent,
  Relistings,
  SellerView,
  Stats,
  Timeline,
  PathPurpose,
  RecentCase,
  Settings,
  Strength,
  UpdateOffer,
  VerdictRequest,
  WaczExportReport,
  WaczImportReport,
} from './types';

export type { AppError };
export { toAppError };

/** Calls a command; a rejection is always thrown as an AppError. */
async function call<T>(cmd: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(cmd, args);
  } catch (e) {
    throw toAppError(e);
  }
}

/** Whether the page runs inside the Tauri app (not a plain browser). */
export function inApp(): boolean {
  return typeof window !== 'undefined' && '__TAURI_INTERNALS__' in window;
}

// ---- Files the user chooses ----

/**
 * Opens the native dialog for `purpose` in the backend, which remembers the answer: every
 * command that reads or writes a file takes only a path chosen this way (or dropped on the
 * window), and refuses any other with `path_not_chosen`. Resolves with the chosen path
 * (to show, and to pass to that command), or null when the user cancelled. A save dialog
 * suggests `suggestedName` as the file name (only a name: the user still picks the folder).
 */
export const choosePath = (purpose: PathPurpose, suggestedName?: string) =>
  call<string | null>('choose_path', suggestedName ? { purpose, suggestedName } : { purpose });

/**
 * As choosePath, for the dialogs that pick several files at once (a test purchase's
 * files; photos from the camera roll, starting in the Pictures folder). Resolves with the
 * chosen paths, or none when the user cancelled.
 */
export const choosePaths = (purpose: MultiPathPurpose) => call<string[]>('choose_paths', { purpose });

// ---- Cases (no case needed) ----

export const recentCases = () => call<RecentCase[]>('recent_cases');
export const passphraseStrength = (passphrase: string, inputs: string[]) =>
  call<Strength>('passphrase_strength', { passphrase, inputs });
export const createCase = (path: string, title: string, passphrase: string, collector: Collector) =>
  call<CaseInfo>('create_case', { path, title, passphrase, collector });
export const openCase = (path: string, passphrase: string) =>
  call<CaseInfo>('open_case', { path, passphrase });
export const closeCase = () => call<null>('close_case');
export const caseInfo = () => call<CaseInfo | null>('case_info');

// ---- Rights and the complaint draft ----

export const loadDraft = () => call<ComplaintFile | null>('load_draft');
export const saveDraft = (draft: ComplaintFile) => call<null>('save_draft', { draft });
export const attachFile = (path: string) => call<Attachment>('attach_file', { path });
export const attachments = () => call<Attachment[]>('attachments');
export const checkDraft = (draft: ComplaintFile) => call<ComplaintCheck>('check_draft', { draft });

// ---- Capture ----

export const readUrlList = (path: string) => call<string[]>('read_url_list', { path });
export const startCapture = (urls: string[], mode: CaptureMode) =>
  call<{ batch_id: BatchId }>('start_capture', { urls, mode });
export const cancelCapture = (batchId: BatchId) => call<null>('cancel_capture', { batchId });
export const openBrowser = (urls: string[]) => call<null>('open_browser', { urls });
export const browserStatus = () => call<BrowserStatus>('browser_status');
export const snapTab = () => call<CaptureOutcome>('snap_tab');
export const closeBrowser = () => call<null>('close_browser');

// ---- Review ----

export const capturePage = (query: CaptureQuery) => call<CapturePage>('capture_page', { query });
export const captureDetail = (id: number) => call<CaptureDetail>('capture_detail', { id });

/**
 * The screenshot of a capture, served by the app's `exhibit:` protocol: a JPEG
 * thumbnail of the top of the page when `width` is given, the stored PNG without.
 * (Windows webviews reach custom protocols as http://exhibit.localhost/.)
 */
export function screenshotUrl(id: number, width?: number): string {
  const isWindows = typeof navigator !== 'undefined' && /Windows/.test(navigator.userAgent);
  const base = isWindows ? 'http://exhibit.localhost' : 'exhibit://localhost';
  const q = width ? `?w=${Math.round(width)}` : '';
  return `${base}/capture/${encodeURIComponent(String(id))}/screenshot${q}`;
}

// ---- Export ----

export const startExport = (draft: ComplaintFile, outDir: string, batesPrefix?: string) =>
  call<{ job_id: JobId }>('start_export', batesPrefix ? { draft, outDir, batesPrefix } : { draft, outDir });
export const cancelExport = (jobId: JobId) => call<null>('cancel_export', { jobId });

/** The packet just exported, as bytes for pdf.js. */
export async function packetBytes(path: string): Promise<Uint8Array> {
  const raw = await call<ArrayBuffer | Uint8Array | number[]>('packet_bytes', { path });
  if (raw instanceof Uint8Array) return raw;
  if (raw instanceof ArrayBuffer) return new Uint8Array(raw);
  if (Array.isArray(raw)) return Uint8Array.from(raw);
  throw { code: 'internal', message: 'The packet came back in a shape the preview cannot read.' } satisfies AppError;
}

// ---- The campaign: filings, outcomes, recapture, relisting, figures ----

export const listings = () => call<ListingView[]>('listings');
export const listingHistory = (id: number) => call<ListingHistory>('listing_history', { id });
export const sellers = () => call<SellerView[]>('sellers');
export const filings = () => call<FilingView[]>('filings');
export const addFiling = (filing: FilingRequest) => call<FilingView>('add_filing', { filing });
/** `outcome.attach` must be a path chosen with choosePath('outcome_answer') (or dropped). */
export const recordOutcome = (outcome: OutcomeRequest) => call<FilingView>('record_outcome', { outcome });
/**
 * Takes listings again (every reported one, unless `request` names one filing's, a set,
 * or all, and a mode); progress comes as events.
 */
export const startRecapture = (request: RecaptureRequest = {}) =>
  call<{ job_id: JobId }>('start_recapture', { ...request });
export const cancelRecapture = (jobId: JobId) => call<null>('cancel_recapture', { jobId });
export const relistings = (threshold?: number) =>
  call<Relistings>('relistings', threshold === undefined ? {} : { threshold });
/** `threshold` as the suggestions were listed with, so the same pairs are suggested. */
export const decideRelisting = (original: number, relisting: number, confirmed: boolean, threshold?: number) =>
  call<Candidate>('decide_relisting', threshold === undefined ? { original, relisting, confirmed } : { original, relisting, confirmed, threshold });
export const stats = (since?: string) => call<Stats>('stats', since ? { since } : {});
/** The campaign week by week: the weeks the agency packet's chart draws. */
export const timeline = () => call<Timeline>('timeline');

// ---- Test purchases ----

export const purchases = () => call<PurchaseView[]>('purchases');
export const purchase = (id: number) => call<PurchaseView>('purchase', { id });
export const addPurchase = (purchase: PurchaseRequest) => call<PurchaseView>('add_purchase', { purchase });
export const updatePurchase = (update: PurchaseUpdateRequest) => call<PurchaseView>('update_purchase', { update });
/** `paths` must be chosen with choosePaths('purchase_file' | 'purchase_photos'), or dropped. */
export const attachPurchaseFiles = (purchase: number, kind: string, paths: string[]) =>
  call<PurchaseView>('attach_purchase_files', { purchase, kind, paths });
export const purchaseVerdict = (verdict: VerdictRequest) => call<PurchaseView>('purchase_verdict', { verdict });
export const itemCustody = (handover: HandoverRequest) => call<PurchaseView>('item_custody', { handover });

// ---- Sellers as defendants ----

/**
 * Every seller as a possible defendant in `forum` (`US-IL` when none is given): its
 * storefront, checkout and purchases, and what a Schedule A exhibit still lacks.
 */
export const defendants = (forum?: string) => call<DefendantView[]>('defendants', forum ? { forum } : {});

// ---- Discovery: from a store or search page to its listings ----

export const discover = (captureId: number) => call<Discovery>('discover', { captureId });
/**
 * Captures the listings the page links to that the case lacks: a capture batch (its
 * events are `capture-progress` and `capture-done`; `cancelCapture` stops it). `urls`
 * are what it takes, in the order of the events' `index`.
 */
export const startCaptureDiscovered = (captureId: number, mode: CaptureMode) =>
  call<{ batch_id: BatchId; urls: string[] }>('start_capture_discovered', { captureId, mode });

// ---- Verify and custody ----

export const verifyBundle = (path: string) => call<BundleCheck>('verify_bundle', { path });
/**
 * Checks the open case as `exhibit verify` does: every page of the case file (unless
 * `quick`), every artifact re-hashed, the custody chain walked.
 */
export const verifyCase = (quick: boolean) => call<CaseCheck>('verify_case', { quick });

// ---- Web archives (WACZ) ----

/** Imports a WACZ chosen with choosePath('wacz_import'): one capture per page. */
export const importWacz = (path: string) => call<WaczImportReport>('import_wacz', { path });
/** Writes every capture into a WACZ where choosePath('wacz_export') said. */
export const exportWacz = (path: string) => call<WaczExportReport>('export_wacz', { path });
export const custody = () => call<CustodyLog>('custody');

// ---- Settings ----

export const getSettings = () => call<Settings>('get_settings');
export const saveSettings = (settings: Settings) => call<null>('save_settings', { settings });

// ---- About and updates ----

/** This build's version and commit, and whether it can update itself. */
export const about = () => call<About>('about');
/** Asks the update address in the settings for a newer version; null when up to date. */
export const checkUpdate = () => call<UpdateOffer | null>('check_update');
/** Downloads the update, installs it only if its signature verifies, and restarts. */
export const installUpdate = () => call<null>('install_update');

// ---- Events ----

function subscribe<T>(event: string, handler: (payload: T) => void): Promise<UnlistenFn> {
  return listen<T>(event, (e) => handler(e.payload));
}

export const onCaptureProgress = (h: (e: CaptureProgressEvent) => void) =>
  subscribe('capture-progress', h);
export const onCaptureDone = (h: (e: CaptureDoneEvent) => void) => subscribe('capture-done', h);
export const onExportProgress = (h: (e: ExportProgressEvent) => void) =>
  subscribe('export-progress', h);
export const onExportDone = (h: (e: ExportDoneEvent) => void) => subscribe('export-done', h);
export const onRecaptureProgress = (h: (e: RecaptureProgressEvent) => void) =>
  subscribe('recapture-progress', h);
export const onRecaptureResult = (h: (e: RecaptureResultEvent) => void) =>
  subscribe('recapture-result', h);
export const onRecaptureDone = (h: (e: RecaptureDoneEvent) => void) => subscribe('recapture-done', h);

/** Files dragged onto the window; positions converted to CSS pixels. */
export async function onFileDrop(handler: (drop: FileDrop) => void): Promise<UnlistenFn> {
  return getCurrentWebview().onDragDropEvent((event) => {
    const p = event.payload;
    const scale = window.devicePixelRatio || 1;
    const pos = 'position' in p ? p.position : { x: -1, y: -1 };
    handler({
      type: p.type,
      paths: 'paths' in p ? p.paths : [],
      x: pos.x / scale,
      y: pos.y / scale,
    });
  });
}

// ---- The file manager ----

/** Shows a packet this run exported in the system's file manager (the backend refuses
 * any other path: the web UI has no file-manager permission of its own). */
export const revealInFolder = (path: string) => call<null>('reveal_export', { path });
