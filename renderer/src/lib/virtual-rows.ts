/**
 * Which rows of a long list to put in the DOM: those in view plus a margin. Rows have one
 * fixed height, so the window is arithmetic; spacers above and below keep the scrollbar true.
 */

/** The slice of rows to render and the spacer heights around it. */
export interface RowWindow {
  /** First rendered row (0-based). */
  start: number;
  /** One past the last rendered row. */
  end: number;
  spaceBefore: number;
  spaceAfter: number;
}

/**
 * `viewportHeight` 0 (not measured yet, or jsdom) is read as `fallbackHeight`, so the first
 * paint already shows a screenful.
 */
export function rowWindow(
  rowCount: number,
  scrollTop: number,
  viewportHeight: number,
  rowHeight: number,
  overscan = 8,
  fallbackHeight = 900,
): RowWindow {
  const height = viewportHeight > 0 ? viewportHeight : fallbackHeight;
  const firstVisible = Math.floor(Math.max(0, scrollTop) / rowHeight);
  const start = Math.max(0, Math.min(rowCount, firstVisible - overscan));
  const end = Math.min(rowCount, firstVisible + Math.ceil(height / rowHeight) + overscan);
  return { start, end: Math.max(start, end), spaceBefore: start * rowHeight, spaceAfter: (rowCount - Math.max(start, end)) * rowHeight };
}
