// The custody log, in words: event kinds a person reads, the detail JSON as text, and
// the one line above the table.

import type { CustodyLog } from './types';

const KIND_LABEL: Record<string, string> = {
  'case.created': 'Case created',
  'collector.set': 'Collector recorded',
  'capture.taken': 'Listing captured',
  'passphrase.changed': 'Passphrase changed',
  'verification.run': 'Case verified',
  'party.added': 'Party added',
  'right.added': 'Right added',
  'file.attached': 'File attached',
  'artifact.exported': 'Artifact exported',
  'export.made': 'Packet exported',
};

export function kindLabel(kind: string): string {
  return KIND_LABEL[kind] ?? kind;
}

function scalar(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return v.map(scalar).join(', ');
  return JSON.stringify(v);
}

/**
 * The detail JSON as one line of text, "capture_id: 12 · url: https://…". Never HTML:
 * the caller binds it as text. Unparsable detail is shown as it is.
 */
export function detailText(detail: string, maxChars = 240): string {
  let text: string;
  try {
    const v: unknown = JSON.parse(detail);
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
      text = Object.entries(v as Record<string, unknown>)
        .map(([k, x]) => `${k}: ${scalar(x)}`)
        .join(' · ');
    } else {
      text = scalar(v);
    }
  } catch {
    text = detail;
  }
  const chars = [...text];
  return chars.length > maxChars ? chars.slice(0, maxChars - 1).join('') + '…' : text;
}

/** "Chain intact (312 events)", or the first break. */
export function chainLine(log: CustodyLog): string {
  const n = log.events.length;
  if (log.intact) return `Chain intact (${n} event${n === 1 ? '' : 's'})`;
  const first = log.problems[0];
  return first ? `Chain broken: ${first}` : `Chain broken (${n} events read)`;
}

/** The first 12 hex digits of a hash, for a table cell; the full one goes in the title. */
export function shortHash(h: string | null | undefined): string {
  if (!h) return '';
  return h.length > 16 ? `${h.slice(0, 12)}…` : h;
}
