/**
 * Progress of a long CLI job (loading the demo city, the yearly assessment).
 *
 * On a terminal: one bar redrawn in place (`\r`), at most every `ttyIntervalMs`, finished
 * with a newline. Anywhere else (a CI log, a pipe, a file): one plain line every
 * `lineIntervalMs` (5 s by default) and one when a phase completes — never one line per step,
 * so a million-parcel load writes a few dozen lines, not a million.
 */
export interface ProgressSink {
  /** true when the output is an interactive terminal (`process.stderr.isTTY`). */
  readonly isTTY?: boolean;
  write(chunk: string): unknown;
}

export interface ProgressOptions {
  /** What is counted, printed after the numbers ("parcels"); may be left empty when `detail` says it. */
  unit?: string;
  /** Where to write; `process.stderr` by default. */
  sink?: ProgressSink;
  /** Milliseconds clock; `Date.now` by default (a test passes a fake). */
  now?: () => number;
  /** Non-terminal output: least time between two lines. */
  lineIntervalMs?: number;
  /** Terminal output: least time between two redraws. */
  ttyIntervalMs?: number;
}

const BAR_WIDTH = 25;

export class ProgressReporter {
  private readonly sink: ProgressSink;
  private readonly now: () => number;
  private readonly lineIntervalMs: number;
  private readonly ttyIntervalMs: number;
  private lastWrite = Number.NEGATIVE_INFINITY;
  /** The phase whose completion was already written (so a repeated final step writes nothing). */
  private completed: string | null = null;
  /** A bar is on screen without its newline yet. */
  private open = false;

  constructor(private readonly options: ProgressOptions) {
    this.sink = options.sink ?? process.stderr;
    this.now = options.now ?? Date.now;
    this.lineIntervalMs = options.lineIntervalMs ?? 5000;
    this.ttyIntervalMs = options.ttyIntervalMs ?? 100;
  }

  /**
   * `done` of `total` steps of the current phase; `detail` is appended ("properties, 12 demands created").
   * A new phase (another `phase` name, or `done` going back below `total`) starts over.
   */
  update(done: number, total: number, detail = '', phase = ''): void {
    const key = `${phase}\u0000${total}`;
    const complete = done >= total;
    if (complete && this.completed === key) return;
    if (!complete && this.completed === key) this.completed = null;
    const now = this.now();
    const interval = this.sink.isTTY ? this.ttyIntervalMs : this.lineIntervalMs;
    if (!complete && now - this.lastWrite < interval) return;
    this.lastWrite = now;
    const text = this.text(done, total, detail);
    if (this.sink.isTTY) {
      this.sink.write(`\r${text}\u001b[K${complete ? '\n' : ''}`);
      this.open = !complete;
    } else {
      this.sink.write(`${text}\n`);
    }
    if (complete) {
      this.completed = key;
      this.lastWrite = Number.NEGATIVE_INFINITY;
    }
  }

  /**
   * Runs `job` and ends the bar afterwards whether it finished or threw, so an error's
   * message never lands on the same line as a half-drawn bar.
   */
  async run<T>(job: (progress: this) => Promise<T>): Promise<T> {
    try {
      return await job(this);
    } finally {
      this.end();
    }
  }

  /** Ends a bar left open (a job that stopped early), so the next output starts on its own line. */
  end(): void {
    if (this.open) this.sink.write('\n');
    this.open = false;
  }

  private text(done: number, total: number, detail: string): string {
    const pct = total > 0 ? Math.min(100, Math.floor((done / total) * 100)) : 100;
    const words = [this.options.unit, detail].filter(Boolean).join(this.options.unit ? ', ' : '');
    const tail = `${pct}% ${done}/${total}${words ? ` ${words}` : ''}`;
    if (!this.sink.isTTY) return tail;
    const filled = Math.floor((pct / 100) * BAR_WIDTH);
    return `[${'#'.repeat(filled).padEnd(BAR_WIDTH, '.')}] ${tail}`;
  }
}
