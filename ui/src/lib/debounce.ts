// A trailing debounce with flush and cancel, for save_draft and check_draft.

export interface Debounced {
  /** (Re)starts the timer. */
  schedule(): void;
  /** Runs now if scheduled; resolves when the run is over. */
  flush(): Promise<void>;
  cancel(): void;
  readonly pending: boolean;
}

export function debounce(run: () => Promise<void> | void, ms: number): Debounced {
  let timer: ReturnType<typeof setTimeout> | null = null;
  const fire = async () => {
    timer = null;
    await run();
  };
  return {
    schedule() {
      if (timer !== null) clearTimeout(timer);
      timer = setTimeout(() => void fire(), ms);
    },
    async flush() {
      if (timer === null) return;
      clearTimeout(timer);
      await fire();
    },
    cancel() {
      if (timer !== null) clearTimeout(timer);
      timer = null;
    },
    get pending() {
      return timer !== null;
    },
  };
}
