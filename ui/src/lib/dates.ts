// Times from the backend are RFC 3339 (UTC or with an offset). The UI shows local time
// and puts UTC in the title attribute, so both are one hover apart.

export interface DateOptions {
  /** An IANA zone; the computer's own when left out. */
  timeZone?: string;
  locale?: string;
}

export function parseTime(iso: string | null | undefined): Date | null {
  if (!iso) return null;
  const t = Date.parse(iso);
  return Number.isNaN(t) ? null : new Date(t);
}

/** "28 Nov 2026, 20:05:09" in the computer's zone (or `opts.timeZone`). The raw text when unparsable. */
export function formatLocal(iso: string | null | undefined, opts: DateOptions = {}): string {
  const d = parseTime(iso);
  if (!d) return iso ?? '';
  return new Intl.DateTimeFormat(opts.locale ?? 'en-GB', {
    year: 'numeric',
    month: 'short',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hour12: false,
    timeZone: opts.timeZone,
  }).format(d);
}

/** "2026-11-28 12:05:09 UTC": for the title attribute. The raw text when unparsable. */
export function formatUtc(iso: string | null | undefined): string {
  const d = parseTime(iso);
  if (!d) return iso ?? '';
  const p = (n: number) => String(n).padStart(2, '0');
  return (
    `${d.getUTCFullYear()}-${p(d.getUTCMonth() + 1)}-${p(d.getUTCDate())} ` +
    `${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} UTC`
  );
}

/** Both at once, for a <time> element: text, title and datetime. */
export function timeParts(iso: string | null | undefined, opts: DateOptions = {}) {
  const d = parseTime(iso);
  return {
    text: formatLocal(iso, opts),
    title: formatUtc(iso),
    datetime: d ? d.toISOString() : (iso ?? ''),
  };
}

/** Today as YYYY-MM-DD in the computer's zone: the default signature date. */
export function todayIso(now: Date = new Date()): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${p(now.getMonth() + 1)}-${p(now.getDate())}`;
}

/** "1.2 MB" and the like. */
export function formatBytes(n: number): string {
  if (!Number.isFinite(n) || n < 0) return '';
  if (n < 1024) return `${n} B`;
  const units = ['KB', 'MB', 'GB'];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v < 10 ? v.toFixed(1) : Math.round(v)} ${units[i]}`;
}

/** "4.2 s", "3 min 05 s". */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '';
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const s = Math.round(ms / 1000);
  return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`;
}
