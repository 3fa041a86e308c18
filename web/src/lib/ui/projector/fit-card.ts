/** What a card on the wall is fitted to: the wall's text size, and anything that changes the fit. */
export interface FitCardOptions {
  /** The wall's text size for this layout, in px: the largest a card's text gets. */
  fontSize: number;
  /** Changes to these (text, tag, cell size) fit the card again. */
  key: string;
}

/** The smallest a card's text shrinks to, as a share of the wall's size, before it is cut with an ellipsis. */
const SMALLEST_SHARE = 0.55;
const SMALLEST_PX = 11;
const STEP = 0.92;
const LINE_HEIGHT = 1.22;

/**
 * Fits one card's text into its cell: a long card gets smaller text than its neighbours rather
 * than being cut off. Only a card that does not fit even at the smallest size is cut, with an
 * ellipsis, at a whole line. Sizes are set as custom properties read by the wall's CSS.
 */
export function fitCard(node: HTMLElement, options: FitCardOptions) {
  const overflows = () => {
    const text = node.querySelector<HTMLElement>('.text');
    return node.scrollHeight > node.clientHeight + 1 || node.scrollWidth > node.clientWidth + 1 || (!!text && text.scrollHeight > text.clientHeight + 1);
  };
  const fit = ({ fontSize }: FitCardOptions) => {
    const smallest = Math.min(fontSize, Math.max(SMALLEST_PX, fontSize * SMALLEST_SHARE));
    let size = fontSize;
    node.style.setProperty('--card-font', `${size}px`);
    node.style.setProperty('--card-lines', 'none');
    while (overflows() && size > smallest) {
      size = Math.max(smallest, size * STEP);
      node.style.setProperty('--card-font', `${size}px`);
    }
    if (!overflows()) return;
    // Still too long at the smallest size: cut at the last whole line that fits.
    const style = getComputedStyle(node);
    const tag = node.querySelector<HTMLElement>('.tag');
    const room = node.clientHeight - parseFloat(style.paddingTop) - parseFloat(style.paddingBottom) - (tag ? tag.offsetHeight + parseFloat(style.rowGap || '0') : 0);
    node.style.setProperty('--card-lines', String(Math.max(1, Math.floor(room / (size * LINE_HEIGHT)))));
  };
  let current = options;
  let later: ReturnType<typeof setTimeout> | null = null;
  // Fitted now, and once more a moment later: the wall's grid, the window and the card's text
  // settle over a frame or two, and a projector tab in the background may not draw frames at all.
  const refit = () => {
    fit(current);
    if (later !== null) clearTimeout(later);
    later = setTimeout(() => {
      later = null;
      fit(current);
    }, 100);
  };
  refit();
  // The cell changes size when the window or the wall's layout does. Changing the text size
  // never changes the cell, so this cannot loop.
  const observer = new ResizeObserver(refit);
  observer.observe(node);
  return {
    update(next: FitCardOptions) {
      // The wall hands every card fresh options whenever any card changes: only a real change
      // is worth the layouts a fit forces.
      const same = next.key === current.key && next.fontSize === current.fontSize;
      current = next;
      if (!same) refit();
    },
    destroy() {
      observer.disconnect();
      if (later !== null) clearTimeout(later);
    }
  };
}
