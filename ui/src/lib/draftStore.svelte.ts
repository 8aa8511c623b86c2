// The complaint draft being edited: saved with `save_draft` and checked with
// `check_draft`, each debounced. The backend's check is the authority; for fields
// edited since the last check returned, the quick client-side checks stand in.

import { fieldWithin, forVenue, cleanDraft, setPath, type ComplaintFile } from './complaint';
import { debounce, type Debounced } from './debounce';
import { toAppError } from './errors';
import type { AppError, ComplaintCheck, Issue } from './types';
import { validateDraft } from './validate';

export interface DraftApi {
  saveDraft(d: ComplaintFile): Promise<unknown>;
  checkDraft(d: ComplaintFile): Promise<ComplaintCheck>;
}

export type SaveState = 'saved' | 'pending' | 'saving' | 'error';

/** A marker path meaning "anything may have changed". */
const ALL = '*';

export class DraftStore {
  draft = $state<ComplaintFile | null>(null);
  /** The last check the backend returned. */
  check = $state<ComplaintCheck | null>(null);
  checkError = $state<AppError | null>(null);
  saveError = $state<AppError | null>(null);
  saveState = $state<SaveState>('saved');
  checking = $state(false);
  /** Paths edited since the last check was sent, and those the check in flight covers. */
  private dirty = $state<string[]>([]);
  private inflight = $state<string[]>([]);
  private checkedKey = $state('');
  /** The venue of the draft the last check was made for (the check names it by title). */
  private checkedVenue = $state('');
  private seq = 0;
  private saver: Debounced;
  private checker: Debounced;

  localIssues = $derived(this.draft ? validateDraft(this.draft) : []);

  /** The issues to show: the backend's, with quick checks for fields edited since. */
  issues = $derived.by((): Issue[] => {
    const d = this.draft;
    if (!d) return [];
    const c = this.check;
    // A check of another venue (just switched) says nothing about this one.
    if (!c || this.checkError || this.checkedVenue !== d.venue) return this.localIssues;
    const edited = [...this.dirty, ...this.inflight];
    if (edited.length === 0) return c.issues;
    if (edited.includes(ALL)) return this.localIssues;
    const touched = (i: Issue) => edited.some((p) => fieldWithin(i.field, p) || fieldWithin(p, i.field));
    return [...c.issues.filter((i) => !touched(i)), ...this.localIssues.filter(touched)];
  });

  /** Whether the backend has checked the draft as it is now. */
  fresh = $derived(this.draft !== null && this.check !== null && this.checkedKey === keyOf(this.draft));

  constructor(
    private api: DraftApi,
    delayMs = 300,
  ) {
    this.saver = debounce(() => this.saveNow(), delayMs);
    this.checker = debounce(() => this.checkNow(), delayMs);
  }

  /** A draft loaded from the case (or a new one): nothing to save, check it. */
  reset(d: ComplaintFile | null): void {
    this.saver.cancel();
    this.checker.cancel();
    this.seq++;
    this.draft = d;
    this.check = null;
    this.checkError = null;
    this.saveError = null;
    this.saveState = 'saved';
    this.dirty = [];
    this.inflight = [];
    this.checkedKey = '';
    this.checkedVenue = '';
    if (d) this.checker.schedule();
  }

  /** Applies an edit; `paths` names the fields it touched (all when left out). */
  edit(fn: (d: ComplaintFile) => ComplaintFile, paths: string[] = [ALL]): void {
    if (!this.draft) return;
    const current = $state.snapshot(this.draft) as ComplaintFile;
    const next = fn(current);
    if (next === current) return;
    this.draft = next;
    this.dirty = [...new Set([...this.dirty, ...paths])];
    this.saveState = this.saveState === 'saving' ? 'saving' : 'pending';
    this.saver.schedule();
    this.checker.schedule();
  }

  /** Sets one field by its dotted path; undefined removes it. */
  set(path: string, value: unknown): void {
    this.edit((d) => setPath(d, path, value), [path]);
  }

  /** Saves now if a save is waiting (before an export, a lock or leaving). */
  async flush(): Promise<void> {
    await this.saver.flush();
    await this.checker.flush();
  }

  private async saveNow(): Promise<void> {
    if (!this.draft) return;
    const toSave = cleanDraft($state.snapshot(this.draft) as ComplaintFile);
    this.saveState = 'saving';
    try {
      await this.api.saveDraft(toSave);
      this.saveError = null;
      this.saveState = this.saver.pending ? 'pending' : 'saved';
    } catch (e) {
      this.saveError = toAppError(e);
      this.saveState = 'error';
    }
  }

  private async checkNow(): Promise<void> {
    if (!this.draft) return;
    const d = $state.snapshot(this.draft) as ComplaintFile;
    const seq = ++this.seq;
    const key = keyOf(d);
    this.inflight = [...new Set([...this.inflight, ...this.dirty])];
    this.dirty = [];
    this.checking = true;
    try {
      const result = await this.api.checkDraft(forVenue(d));
      if (seq !== this.seq) return;
      this.check = result;
      this.checkedKey = key;
      this.checkedVenue = d.venue;
      this.checkError = null;
    } catch (e) {
      if (seq !== this.seq) return;
      this.checkError = toAppError(e);
    } finally {
      if (seq === this.seq) {
        this.inflight = [];
        this.checking = false;
      }
    }
  }
}

function keyOf(d: ComplaintFile): string {
  return JSON.stringify(forVenue(d));
}
