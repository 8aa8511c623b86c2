import { describe, expect, it } from 'vitest';
import { formatBytes, formatDuration, formatLocal, formatUtc, timeParts, todayIso } from './dates';

describe('dates', () => {
  const iso = '2026-11-28T12:05:09.123Z';

  it('shows local time in the given zone', () => {
    expect(formatLocal(iso, { timeZone: 'Asia/Shanghai' })).toBe('28 Nov 2026, 20:05:09');
    expect(formatLocal(iso, { timeZone: 'America/Los_Angeles' })).toBe('28 Nov 2026, 04:05:09');
  });

  it('reads offsets, not just Z', () => {
    expect(formatUtc('2026-11-28T20:05:09+08:00')).toBe('2026-11-28 12:05:09 UTC');
  });

  it('puts UTC in the title', () => {
    const t = timeParts(iso, { timeZone: 'Europe/Paris' });
    expect(t).toEqual({ text: '28 Nov 2026, 13:05:09', title: '2026-11-28 12:05:09 UTC', datetime: '2026-11-28T12:05:09.123Z' });
  });

  it('shows unparsable text as it is', () => {
    expect(formatLocal('not a date')).toBe('not a date');
    expect(formatUtc(null)).toBe('');
  });

  it('today, sizes and durations', () => {
    expect(todayIso(new Date(2026, 0, 5, 23, 59))).toBe('2026-01-05');
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(1536)).toBe('1.5 KB');
    expect(formatBytes(50 * 1024 * 1024)).toBe('50 MB');
    expect(formatDuration(4200)).toBe('4.2 s');
    expect(formatDuration(185_000)).toBe('3 min 05 s');
  });
});
