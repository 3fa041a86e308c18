/**
 * Keeps a keyboard user's place when a region is drawn again around them (a phase change
 * swaps a board's card list for theme groups, a lock takes buttons away): the same control
 * gets the focus back if it is still there, else the region's heading, never the page's top.
 */
export class FocusKeeper {
  #remembered: { id: string | null; label: string | null; tag: string } | null = null;

  /** Notes what has the focus inside `region`, before it is drawn again. */
  remember(region: HTMLElement | undefined): void {
    const active = document.activeElement;
    this.#remembered =
      region && active instanceof HTMLElement && active !== region && region.contains(active)
        ? { id: active.id || null, label: active.getAttribute('aria-label'), tag: active.tagName }
        : null;
  }

  /** After drawing: if the focus was lost, gives it back to the same control, or to `fallback`. */
  restore(region: HTMLElement | undefined, fallback: HTMLElement | undefined): void {
    const remembered = this.#remembered;
    this.#remembered = null;
    if (!remembered || !region) return;
    const active = document.activeElement;
    if (active && active !== document.body && document.contains(active)) return;
    const same =
      (remembered.id ? document.getElementById(remembered.id) : null) ??
      (remembered.label
        ? [...region.querySelectorAll<HTMLElement>(remembered.tag)].find((element) => element.getAttribute('aria-label') === remembered.label)
        : null);
    (same && region.contains(same) ? same : fallback)?.focus();
  }
}
