// Every rejected command becomes an AppError {code, message}. The UI branches on the
// code and shows the message as text, with a next step where the message alone leaves
// the user stuck.

import type { AppError } from './types';

/** Normalises anything a rejected `invoke` (or other async call) can throw. */
export function toAppError(e: unknown): AppError {
  if (e !== null && typeof e === 'object') {
    const o = e as Record<string, unknown>;
    if (typeof o.code === 'string' && typeof o.message === 'string') {
      return { code: o.code, message: o.message };
    }
    if (typeof o.message === 'string' && o.message !== '') {
      return { code: 'internal', message: o.message };
    }
    let text: string;
    try {
      text = JSON.stringify(e);
    } catch {
      text = String(e);
    }
    return { code: 'internal', message: text };
  }
  return { code: 'internal', message: String(e) };
}

export function isAppError(e: unknown): e is AppError {
  return (
    e !== null &&
    typeof e === 'object' &&
    typeof (e as AppError).code === 'string' &&
    typeof (e as AppError).message === 'string'
  );
}

/** A next step for codes whose message may not say what to do in the app. */
export function nextStep(err: AppError): string | null {
  const c = err.code;
  if (c === 'wrong_passphrase') return null; // The message says it; offer nothing else.
  if (c === 'no_case' || c === 'case_locked') return 'Open the case again from the Case step.';
  if (c === 'busy') return 'Wait for the running capture or export to finish, or cancel it, then try again.';
  if (c === 'no_browser_session') return 'Click "Open capture browser" first, go to the listing, then "Capture this tab".';
  if (c === 'not_exported') return 'Export the packet again, then preview it.';
  if (c === 'complaint_invalid') return 'Fix the problems listed in the Complaint step, then export again.';
  if (c === 'case_not_found') return 'Choose the file again with "Choose…": it may have moved.';
  if (c === 'path_not_chosen') return 'Choose the file with its "Choose…" button (or drop it on the box), then try again.';
  if (c === 'case_exists') return 'Choose another file name, or open the existing case instead.';
  if (c === 'weak_passphrase') return 'Choose a longer passphrase of several unusual words.';
  if (c.startsWith('browser_')) return 'Check that Chrome or Chromium is installed, or capture in Quick (HTTP only) mode.';
  if (c === 'internal') return 'This is a fault in Exhibit. Try again; if it happens again, note the message and restart the app.';
  return null;
}
