/**
 * Progress of long work on stderr, with the time left. On a terminal: one line redrawn in place
 * (at most ten times a second). Otherwise (a file, a pipe, CI logs): a plain line every few
 * seconds, so that a log shows life without filling up with redraws.
 */

/** 83 → "1m23s"; 3725 → "1h02m". */
export function duration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '?';
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

/** Seconds left at a constant rate: `done` of `total` took `elapsed` seconds. */
export function remaining(done: number, total: number, elapsed: number): number {
  return done > 0 ? (elapsed * (total - done)) / done : Number.NaN;
}

/** Whether stderr ends on a terminal; bin/wgnn.mjs says so when it filters our stderr through a pipe. */
export function stderrIsTerminal(): boolean {
  return !!process.stderr.isTTY || !!process.env.WGNN_STDERR_TTY;
}

function columns(): number {
  return process.stderr.columns || Number(process.env.WGNN_STDERR_TTY) || 80;
}

export interface ProgressOptions {
  /** redraw in place (default: whether stderr is a terminal) */
  terminal?: boolean;
  /** seconds between plain lines when not on a terminal (default: WGNN_PROGRESS_SECONDS or 5) */
  every?: number;
  write?: (text: string) => void;
  /** where plain lines go when not on a terminal (default: stderr); the command's own stream keeps a log in order */
  log?: (text: string) => void;
}

export class ProgressLine {
  private readonly terminal: boolean;
  private readonly every: number;
  private readonly write: (text: string) => void;
  private last = -Infinity;
  private shown = false;

  constructor(o: ProgressOptions = {}) {
    this.terminal = o.terminal ?? stderrIsTerminal();
    this.every = (o.every ?? Number(process.env.WGNN_PROGRESS_SECONDS ?? 5)) * 1000;
    this.write = o.write ?? (this.terminal ? undefined : o.log) ?? ((t) => void process.stderr.write(t));
  }

  /** Shows `text` now if enough time passed since the last one (always with `force`). */
  show(text: string, force = false): void {
    const now = performance.now();
    // Forcing only redraws a terminal line; a log gets its lines at the usual pace.
    if (!(force && this.terminal) && now - this.last < (this.terminal ? 100 : this.every)) return;
    this.last = now;
    if (this.terminal) {
      this.write(`\r${text.slice(0, columns() - 1)}\x1b[K`);
      this.shown = true;
    } else {
      // A log gets plain words: the bar is for a terminal's eye.
      this.write(text.replace(/[█░]+ /g, '') + '\n');
    }
  }

  /** Clears the redrawn line, so that the next regular line starts clean. */
  clear(): void {
    if (this.terminal && this.shown) this.write('\r\x1b[K');
    this.shown = false;
  }

  /** Restarts the clock between plain lines (after a regular line was printed). */
  touch(): void {
    this.last = performance.now();
  }
}

/** A text bar of `width` cells for done/total. */
export function bar(done: number, total: number, width = 24): string {
  const filled = Math.round((Math.min(done, total) / Math.max(1, total)) * width);
  return '█'.repeat(filled) + '░'.repeat(width - filled);
}

/**
 * Progress of many jobs at once (a study's variants, a tuner's trials), in epochs: finished jobs
 * count whole, running ones by their epoch and step. With no known total it shows no ETA.
 */
export class WorkProgress {
  private readonly running = new Map<number, { done: number; text: string }>();
  private finished = 0;
  private readonly started = performance.now();

  constructor(private readonly label: string, private total: number | null, private readonly line = new ProgressLine()) {}

  /** Job `id` reached `done` epochs (fractional: within an epoch). */
  update(id: number, done: number, text: string): void {
    this.running.set(id, { done, text });
    this.show();
  }

  finish(id: number, epochs: number): void {
    this.running.delete(id);
    this.finished += epochs;
    this.line.clear();
  }

  private stopped = false;

  /** After a regular line: redraw the status under it. */
  show(force = false): void {
    if (this.stopped) return;
    const done = this.finished + [...this.running.values()].reduce((s, r) => s + r.done, 0);
    const elapsed = (performance.now() - this.started) / 1000;
    const now = [...this.running.values()].map((r) => r.text).join('; ');
    const eta = this.total ? ` ${bar(done, this.total, 16)} ${Math.floor((100 * done) / this.total)}% - ETA ${duration(remaining(done, this.total, elapsed))}` : '';
    this.line.show(`${this.label}${eta} - ${duration(elapsed)} so far${now ? ` - ${now}` : ''}`, force);
  }

  setTotal(total: number | null): void {
    this.total = total;
  }

  clear(): void {
    this.line.clear();
  }

  /** The work is over: clear the line and show nothing more. */
  stop(): void {
    this.stopped = true;
    this.line.clear();
  }
}
