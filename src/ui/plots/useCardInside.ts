import { useLayoutEffect, type RefObject } from 'react';

/**
 * Keeps a hover card (the `.viz-card` directly inside `wrapRef`, absolutely positioned) inside its
 * wrapper vertically: top = min(wanted, wrapper height − card height), at least 0. The card's height is
 * only known once it is drawn, and the wrapper can still change height after it (tiles whose images
 * arrive later), so the clamp is applied before paint and again whenever the wrapper resizes.
 * `card` is whatever identifies the card shown (a new value re-applies the clamp); null hides it.
 */
export function useCardInside(wrapRef: RefObject<HTMLElement | null>, card: { top: number } | null): void {
  useLayoutEffect(() => {
    const wrap = wrapRef.current;
    const element = wrap?.querySelector<HTMLElement>(':scope > .viz-card');
    if (!wrap || !element || !card) return;
    const clamp = () => {
      element.style.top = `${Math.max(0, Math.min(card.top, wrap.clientHeight - element.offsetHeight))}px`;
    };
    clamp();
    if (typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver(clamp);
    observer.observe(wrap);
    return () => observer.disconnect();
  }, [wrapRef, card]);
}
