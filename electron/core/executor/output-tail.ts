/**
 * The last few lines a run printed, for its notification. Output can be gigabytes, so this
 * keeps only a small window of the most recent text (about `maxChars`), never the whole.
 */
export class OutputTail {
  #text = "";
  /** True when the window starts mid-line (one line longer than the window, or a cut surrogate pair). */
  #startsMidLine = false;

  constructor(
    private readonly maxChars = 4096,
    private readonly maxLines = 10,
  ) {}

  append(text: string): void {
    this.#text += text;
    // Trim only when the window doubles, so appending many small chunks stays linear.
    if (this.#text.length > this.maxChars * 2) this.#trim();
  }

  /** The last lines (at most `maxLines`), newline-separated, without trailing blank lines. */
  lines(): string {
    if (this.#text.length > this.maxChars) this.#trim();
    const lines = this.#text.replace(/\r\n/g, "\n").split("\n");
    if (this.#startsMidLine && lines.length > 1) lines.shift();
    // A progress bar redraws itself with \r: keep what a terminal would finally show.
    const shown = lines.map((line) => line.slice(line.lastIndexOf("\r") + 1));
    while (shown.length > 0 && shown[shown.length - 1]!.trim() === "") shown.pop();
    return shown.slice(-this.maxLines).join("\n");
  }

  /** Keeps at most `maxChars`, starting at a line boundary when there is one in reach. */
  #trim(): void {
    const cut = this.#text.length - this.maxChars;
    const lineStart = this.#text.indexOf("\n", cut - 1) + 1;
    if (lineStart > 0 && lineStart < this.#text.length) {
      this.#text = ownCopy(this.#text.slice(lineStart));
      this.#startsMidLine = false;
    } else {
      // Never start on the second half of a surrogate pair (an emoji cut in two).
      const lowSurrogate = /^[\uDC00-\uDFFF]/.test(this.#text.charAt(cut));
      this.#text = ownCopy(this.#text.slice(lowSurrogate ? cut + 1 : cut));
      this.#startsMidLine = true;
    }
  }
}

/**
 * A slice of a string can keep the whole original alive (V8 sliced strings): here a 64 KB
 * chunk of output per run for a window of a few KB, which the GC then promotes and keeps
 * until a full collection (100 runs flooding at once: tens of MB). Slicing a concatenation
 * makes V8 copy the window into a string of its own first.
 */
function ownCopy(window: string): string {
  return ` ${window}`.slice(1);
}
