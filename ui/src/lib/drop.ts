// Files dropped on the window arrive as one Tauri event with a position; this finds
// the drop zone under that point. A zone is any element with the `dropzone` action.

import type { FileDrop } from './types';

type Handler = (paths: string[]) => void;

const zones = new Map<HTMLElement, Handler>();

/** Which zone gets a drop at this point: the one under it, else the only one there is. */
export function pickZone(
  candidates: HTMLElement[],
  hit: Element | null,
): HTMLElement | null {
  if (hit) {
    const zone = candidates.find((z) => z === hit || z.contains(hit));
    if (zone) return zone;
  }
  const visible = candidates.filter((z) => z.isConnected);
  return visible.length === 1 ? visible[0] : null;
}

function hitAt(x: number, y: number): Element | null {
  if (typeof document === 'undefined' || typeof document.elementFromPoint !== 'function') return null;
  return document.elementFromPoint(x, y);
}

/** Routes a drop event (from backend.onFileDrop) to the zone under it. */
export function dispatchDrop(drop: FileDrop): void {
  const candidates = [...zones.keys()];
  const target = drop.type === 'leave' ? null : pickZone(candidates, hitAt(drop.x, drop.y));
  for (const z of candidates) {
    if (z === target && (drop.type === 'enter' || drop.type === 'over')) z.dataset.dragover = 'true';
    else delete z.dataset.dragover;
  }
  if (drop.type === 'drop' && target && drop.paths.length) zones.get(target)?.(drop.paths);
}

/** Svelte action: `<div use:dropzone={(paths) => …}>`. */
export function dropzone(node: HTMLElement, handler: Handler) {
  zones.set(node, handler);
  node.dataset.dropzone = 'true';
  return {
    update(h: Handler) {
      zones.set(node, h);
    },
    destroy() {
      zones.delete(node);
    },
  };
}
