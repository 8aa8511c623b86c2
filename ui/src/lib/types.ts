// The shapes the backend sends and takes, as in docs/APP-API.md and the facade's serde
// types (crates/exhibit/src/view.rs, export.rs, batch.rs). Field names are snake_case
// because they are the facade's own serde names. Pure types: no Tauri here.

import type { ComplaintFile } from './complaint';

import type { CaptureMode, CaptureStatus, PurchaseView, Discovery, DefendantView } from './bindings';
export type {
  AppError,
  RecentCase,
  Strength,
  Collector,
  CaseInfo,
  Attachment,
  Severity,
  Issue,
  ComplaintCheck,
  ScheduleRow,
  Fact as JoinderFact,
  Pair as JoinderPair,
  SchedulePreview,
  CaptureMode,
  CaptureStatus,
  CaptureProgress as CaptureProgressEvent,
  BatchSummary,
  CaptureDone as CaptureDoneEvent,
  CaptureOutcome,
  CaptureQuery,
  Redirect,
  ArtifactSummary,
  CaptureView,
  TrustedTime,
  GalleryItem,
  CapturePage,
  Header as HeaderView,
  Environment,
  BrowserFacts,
  CaptureDetail,
  ExportProgress as ExportProgressEvent,
  ExportReport,
  ExportDone as ExportDoneEvent,
  BundleProblemView as BundleProblem,
  BundleCheck,
  Problem as CaseProblem,
  VerifyReport as CaseCheck,
  CustodyEvent,
  CustodyStatus as CustodyLog,
  Settings,
  About,
  UpdateOffer,
  ImportReport as WaczImportReport,
  WaczReport as WaczExportReport,
  ListingView,
  Change,
  HistoryEntry,
  OutcomeRow,
  ListingFiling,
  ListingHistory,
  SellerView,
  Deadline,
  FiledListingView,
  FilingView,
  FilingRequest,
  OutcomeRequest,
  Counts,
  RepeatSeller,
  GoodFaith,
  Stats,
  Week,
  Timeline,
  SaidRemoved,
  RecaptureResult,
  RecaptureSummary,
  RecaptureProgress as RecaptureProgressEvent,
  RecaptureResultEvent,
  RecaptureDone as RecaptureDoneEvent,
  Reason as RelistingReason,
  Candidate,
  Relistings,
  PurchaseUpdateRow,
  PurchaseFileRow,
  VerdictRow,
  ItemCustodyRow,
  PurchaseView,
  PurchaseRequest,
  PurchaseUpdateRequest,
  VerdictRequest,
  ItemCustodyRequest as HandoverRequest,
  DiscoveredListing,
  Discovery,
  StoreFacts,
  CheckoutFacts,
  EvidencePage,
  Gap,
  DefendantView,
  BrowserStatus,
  Outcome as OutcomeName,
} from './bindings';

/** The `state` of a `capture-progress` event. */
export type ProgressState = 'capturing' | CaptureStatus | 'cancelled';

/** Batch and job ids are opaque: the UI only hands them back. */
export type BatchId = number | string;
export type JobId = number | string;


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

/** What a file dropped on the window carries: paths, and where it landed in CSS pixels. */
export interface FileDrop {
  type: 'enter' | 'over' | 'drop' | 'leave';
  paths: string[];
  x: number;
  y: number;
}

// ---- The campaign (crates/exhibit/src/campaign.rs, recapture.rs, relisting.rs) ----

/** What a platform did with one reported listing, as the user records answers. */

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

export type { ComplaintFile };

// ---- Test purchases (the facade's PurchaseView and its requests) ----

/** `order`, `receipt`, `label`, `parcel-photo`, `product-photo` or `comparison`. */
export type PurchaseFileKind = 'order' | 'receipt' | 'label' | 'parcel-photo' | 'product-photo' | 'comparison';
export type VerdictName = 'counterfeit' | 'genuine' | 'inconclusive';

// ---- Discovery ----

// ---- Sellers as defendants (the facade's DefendantView) ----
