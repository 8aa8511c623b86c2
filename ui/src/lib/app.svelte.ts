// The app's state: the open case, the draft, the capture queue and the export, with
// the actions the steps call. The backend is injected, so this runs in tests without
// Tauri; `createApp()` in main.ts passes the real one.

import { DEFAULT_BROWSER_CONCURRENCY } from './bindings';
import type * as BackendModule from './backend';
import { emptyDraft, forVenue, normaliseLoaded, type ComplaintFile } from './complaint';
import { DraftStore } from './draftStore.svelte';
import { toAppError } from './errors';
import {
  applyDone,
  applyProgress,
  attachBatch,
  beginBatch,
  beginRetry,
  currentBatch,
  emptyQueue,
  isRunning,
  requestCancel,
  startFailed,
  type QueueState,
} from './queue';
import {
  applyRecaptureDone,
  applyRecaptureProgress,
  applyRecaptureResult,
  attachRecapture,
  beginRecapture,
  emptyRecapture,
  recaptureStartFailed,
  type RecaptureState,
} from './campaign';
import { doneSteps, type StepId } from './steps';
import type {
  AppError,
  Attachment,
  BatchId,
  BundleCheck,
  CaptureDoneEvent,
  CaptureMode,
  CaptureProgressEvent,
  CaseInfo,
  ExportDoneEvent,
  ExportProgressEvent,
  ExportReport,
  JobId,
  RecaptureDoneEvent,
  RecaptureProgressEvent,
  RecaptureRequest,
  RecaptureResultEvent,
  RecentCase,
  Settings,
} from './types';

export type Backend = typeof BackendModule;

export interface ExportState {
  jobId: JobId | null;
  running: boolean;
  step: string;
  done: number;
  total: number;
  report: ExportReport | null;
  error: AppError | null;
  cancelled: boolean;
  verify: BundleCheck | null;
  verifyError: AppError | null;
  verifying: boolean;
  /** Whatever export dir and prefix the user last typed, kept across steps. */
  outDir: string;
  batesPrefix: string;
}

function emptyExport(): ExportState {
  return {
    jobId: null,
    running: false,
    step: '',
    done: 0,
    total: 0,
    report: null,
    error: null,
    cancelled: false,
    verify: null,
    verifyError: null,
    verifying: false,
    outDir: '',
    batesPrefix: '',
  };
}

export class AppState {
  step = $state<StepId>('case');
  caseInfo = $state<CaseInfo | null>(null);
  recent = $state<RecentCase[]>([]);
  settings = $state<Settings>({ capture_mode: 'browser', concurrency: DEFAULT_BROWSER_CONCURRENCY });
  attachments = $state<Attachment[]>([]);
  queue = $state<QueueState>(emptyQueue());
  exp = $state<ExportState>(emptyExport());
  /** A failure outside any one step (an event handler, the lock button). */
  globalError = $state<AppError | null>(null);
  /** Bumped when captures change, so Review refetches its page. */
  capturesVersion = $state(0);
  /** The recapture of reported listings (Campaign), which runs on while other steps show. */
  recap = $state<RecaptureState>(emptyRecapture());
  /** Filings in the case, as the Campaign step last read them (null: not read yet). */
  filingCount = $state<number | null>(null);
  /** Bumped when a recapture ends, so the Campaign step rereads filings and figures. */
  campaignVersion = $state(0);
  draft: DraftStore;

  done = $derived.by(() =>
    doneSteps({
      caseInfo: this.caseInfo,
      draft: this.draft.draft,
      check: this.draft.check,
      exported: this.exp.report,
      filings: this.filingCount,
    }),
  );

  constructor(public api: Backend) {
    this.draft = new DraftStore(api);
  }

  // ---- start-up and events ----

  /** Reads what the backend already has (a case left open, recent cases, settings). */
  async init(): Promise<void> {
    const [info, recent, settings] = await Promise.allSettled([
      this.api.caseInfo(),
      this.api.recentCases(),
      this.api.getSettings(),
    ]);
    if (recent.status === 'fulfilled') this.recent = recent.value;
    if (settings.status === 'fulfilled' && settings.value) this.settings = settings.value;
    if (info.status === 'fulfilled' && info.value) await this.caseOpened(info.value);
  }

  /** Subscribes to the backend's events; returns the unsubscribe. */
  async listen(): Promise<() => void> {
    const offs = await Promise.all([
      this.api.onCaptureProgress((e) => this.captureProgress(e)),
      this.api.onCaptureDone((e) => this.captureDone(e)),
      this.api.onExportProgress((e) => this.exportProgress(e)),
      this.api.onExportDone((e) => this.exportDone(e)),
      this.api.onRecaptureProgress((e) => this.recaptureProgress(e)),
      this.api.onRecaptureResult((e) => this.recaptureResult(e)),
      this.api.onRecaptureDone((e) => this.recaptureDone(e)),
    ]);
    return () => offs.forEach((off) => off());
  }

  // ---- the case ----

  go(step: StepId): void {
    this.step = step;
  }

  async refreshRecent(): Promise<void> {
    try {
      this.recent = await this.api.recentCases();
    } catch {
      // The list is a convenience: without it the path field still works.
    }
  }

  /** After create or open: load the draft and attachments, then go on to Rights. */
  async caseOpened(info: CaseInfo): Promise<void> {
    this.caseInfo = info;
    this.globalError = null;
    let draft: ComplaintFile | null = null;
    try {
      draft = await this.api.loadDraft();
    } catch (e) {
      this.globalError = toAppError(e);
    }
    this.draft.reset(normaliseLoaded(draft) ?? emptyDraft());
    await this.refreshAttachments();
    this.capturesVersion++;
    if (this.step === 'case') this.step = 'rights';
  }

  async refreshCase(): Promise<void> {
    try {
      const info = await this.api.caseInfo();
      if (info) this.caseInfo = info;
      this.capturesVersion++;
    } catch {
      // Keep what is shown; the next action reports the problem.
    }
  }

  async refreshAttachments(): Promise<void> {
    try {
      this.attachments = await this.api.attachments();
    } catch {
      this.attachments = [];
    }
  }

  /** Locks the case: saves the draft first, then forgets everything of it. */
  async lock(): Promise<void> {
    try {
      await this.draft.flush();
    } catch {
      // Locking must not wait on a draft that cannot be saved.
    }
    try {
      await this.api.closeCase();
    } catch (e) {
      const err = toAppError(e);
      if (err.code !== 'no_case') {
        this.globalError = err;
        return;
      }
    }
    this.caseInfo = null;
    this.draft.reset(null);
    this.attachments = [];
    this.queue = emptyQueue();
    this.exp = emptyExport();
    this.recap = emptyRecapture();
    this.filingCount = null;
    this.globalError = null;
    this.step = 'case';
    await this.refreshRecent();
  }

  // ---- capture ----

  async setMode(mode: CaptureMode): Promise<void> {
    this.settings = { ...this.settings, capture_mode: mode };
    try {
      await this.api.saveSettings($state.snapshot(this.settings));
    } catch {
      // The choice still applies to this session.
    }
  }

  /** Saves the time-stamp authorities; the backend checks them (URLs, readable roots). */
  async saveTrustedTime(urls: string[], roots: string[]): Promise<AppError | null> {
    const next = { ...$state.snapshot(this.settings), tsa_urls: urls, tsa_roots: roots };
    try {
      await this.api.saveSettings(next);
      this.settings = next;
      return null;
    } catch (e) {
      return toAppError(e);
    }
  }

  async startCapture(urls: string[], mode: CaptureMode): Promise<AppError | null> {
    if (urls.length === 0 || isRunning(this.queue)) return null;
    this.queue = beginBatch(this.queue, urls);
    return this.runStart(urls, mode);
  }

  async retry(keys: number[], mode: CaptureMode): Promise<AppError | null> {
    if (isRunning(this.queue)) return null;
    const urls = this.queue.rows.filter((r) => keys.includes(r.key)).map((r) => r.url);
    if (urls.length === 0) return null;
    this.queue = beginRetry(this.queue, keys);
    return this.runStart(urls, mode);
  }

  private async runStart(urls: string[], mode: CaptureMode): Promise<AppError | null> {
    try {
      const { batch_id } = await this.api.startCapture(urls, mode);
      this.queue = attachBatch(this.queue, batch_id);
      return null;
    } catch (e) {
      const err = toAppError(e);
      this.queue = startFailed(this.queue, err.message);
      return err;
    }
  }

  /**
   * Captures the listings a store or search page links to that the case lacks, as a
   * batch in the capture queue like any other (`urls`: the new ones as last found, for
   * the queue's rows until the backend says which it takes). The batch's id, or why it
   * could not start.
   */
  async startDiscovered(
    captureId: number,
    urls: string[],
    mode: CaptureMode,
  ): Promise<{ batchId: BatchId | null; error: AppError | null }> {
    if (urls.length === 0 || isRunning(this.queue)) return { batchId: null, error: null };
    this.queue = beginBatch(this.queue, urls);
    try {
      const started = await this.api.startCaptureDiscovered(captureId, mode);
      // The backend found the page's new listings again; its list names the rows (the
      // events that came meanwhile wait in `buffered`, and are kept).
      const same = started.urls.length === urls.length && started.urls.every((u, i) => u === urls[i]);
      if (!same) this.queue = { ...beginBatch(this.queue, started.urls), buffered: this.queue.buffered };
      this.queue = attachBatch(this.queue, started.batch_id);
      return { batchId: started.batch_id, error: null };
    } catch (e) {
      const err = toAppError(e);
      this.queue = startFailed(this.queue, err.message);
      return { batchId: null, error: err };
    }
  }

  async cancelCapture(): Promise<AppError | null> {
    const batch = currentBatch(this.queue);
    if (batch === null) return null;
    this.queue = requestCancel(this.queue);
    try {
      await this.api.cancelCapture(batch);
      return null;
    } catch (e) {
      return toAppError(e);
    }
  }

  captureProgress(e: CaptureProgressEvent): void {
    this.queue = applyProgress(this.queue, e);
  }

  captureDone(e: CaptureDoneEvent): void {
    this.queue = applyDone(this.queue, e);
    void this.refreshCase();
  }

  // ---- export ----

  async startExport(outDir: string, batesPrefix: string): Promise<AppError | null> {
    if (!this.draft.draft || this.exp.running) return null;
    await this.draft.flush();
    const draft = forVenue($state.snapshot(this.draft.draft) as ComplaintFile);
    this.exp = {
      ...emptyExport(),
      running: true,
      step: 'Starting',
      outDir,
      batesPrefix,
    };
    try {
      const { job_id } = await this.api.startExport(draft, outDir, batesPrefix.trim() || undefined);
      this.exp = { ...this.exp, jobId: job_id };
      return null;
    } catch (e) {
      const err = toAppError(e);
      this.exp = { ...this.exp, running: false, error: err };
      return err;
    }
  }

  async cancelExport(): Promise<AppError | null> {
    if (this.exp.jobId === null || !this.exp.running) return null;
    try {
      await this.api.cancelExport(this.exp.jobId);
      return null;
    } catch (e) {
      return toAppError(e);
    }
  }

  exportProgress(e: ExportProgressEvent): void {
    if (!this.exp.running || (this.exp.jobId !== null && e.job_id !== this.exp.jobId)) return;
    this.exp = { ...this.exp, jobId: e.job_id, step: e.step, done: e.done, total: e.total };
  }

  exportDone(e: ExportDoneEvent): void {
    if (this.exp.jobId !== null && e.job_id !== this.exp.jobId) return;
    if (!this.exp.running) return;
    const cancelled = e.error?.code === 'cancelled';
    this.exp = {
      ...this.exp,
      jobId: e.job_id,
      running: false,
      report: e.report ?? null,
      error: e.error && !cancelled ? e.error : null,
      cancelled,
    };
  }

  // ---- recapture (Campaign) ----

  /**
   * Takes listings again: every reported one, or what `request` chooses (one filing's, a
   * set, all; a mode), as `exhibit recapture`'s flags do. `total` is for the bar.
   */
  async startRecapture(total: number, request: RecaptureRequest = {}): Promise<AppError | null> {
    if (this.recap.running) return null;
    this.recap = beginRecapture(total, request);
    try {
      const { job_id } = await this.api.startRecapture(request);
      this.recap = attachRecapture(this.recap, job_id);
      return null;
    } catch (e) {
      const err = toAppError(e);
      this.recap = recaptureStartFailed(this.recap, err);
      return err;
    }
  }

  async cancelRecapture(): Promise<AppError | null> {
    const id = this.recap.jobId;
    if (id === null || !this.recap.running) return null;
    this.recap = { ...this.recap, cancelRequested: true };
    try {
      await this.api.cancelRecapture(id);
      return null;
    } catch (e) {
      return toAppError(e);
    }
  }

  recaptureProgress(e: RecaptureProgressEvent): void {
    this.recap = applyRecaptureProgress(this.recap, e);
  }

  recaptureResult(e: RecaptureResultEvent): void {
    this.recap = applyRecaptureResult(this.recap, e);
  }

  recaptureDone(e: RecaptureDoneEvent): void {
    const before = this.recap;
    this.recap = applyRecaptureDone(this.recap, e);
    if (this.recap !== before) {
      this.campaignVersion++;
      void this.refreshCase();
    }
  }

  async verifyExported(): Promise<void> {
    const bundle = this.exp.report?.bundle;
    if (!bundle) return;
    this.exp = { ...this.exp, verifying: true, verify: null, verifyError: null };
    try {
      const result = await this.api.verifyBundle(bundle);
      this.exp = { ...this.exp, verifying: false, verify: result };
    } catch (e) {
      this.exp = { ...this.exp, verifying: false, verifyError: toAppError(e) };
    }
  }
}

export function createApp(api: Backend): AppState {
  return new AppState(api);
}
