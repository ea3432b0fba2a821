/**
 * Progress for long steps: a live bar on a terminal, plain timestamped lines otherwise (CI logs, pipes),
 * so both people and log readers see what a run is doing.
 */
import cliProgress from 'cli-progress';

export interface Progress {
  /** A new step begins. */
  step(title: string): void;
  /** Progress within the current step. */
  update(done: number, total: number, detail?: string): void;
  /** A line of information. */
  info(line: string): void;
  warn(line: string): void;
  /** The current step ended. */
  done(summary?: string): void;
}

export function createProgress(
  opts: { tty?: boolean; quiet?: boolean; out?: NodeJS.WritableStream } = {},
): Progress {
  const out = opts.out ?? process.stderr;
  if (opts.quiet) return new QuietProgress();
  const tty = opts.tty ?? Boolean((out as NodeJS.WriteStream).isTTY);
  return tty ? new BarProgress(out) : new LineProgress(out);
}

class QuietProgress implements Progress {
  step(): void {}
  update(): void {}
  info(): void {}
  warn(line: string): void {
    process.stderr.write(`warning: ${line}\n`);
  }
  done(): void {}
}

function elapsed(since: number): string {
  const s = (Date.now() - since) / 1000;
  return s < 60 ? `${s.toFixed(1)}s` : `${Math.floor(s / 60)}m${Math.round(s % 60)}s`;
}

class LineProgress implements Progress {
  private title = '';
  private started = Date.now();
  private lastPercent = -1;
  constructor(private readonly out: NodeJS.WritableStream) {}
  private write(line: string): void {
    this.out.write(`[${new Date().toISOString().slice(11, 19)}] ${line}\n`);
  }
  step(title: string): void {
    this.title = title;
    this.started = Date.now();
    this.lastPercent = -1;
    this.write(`▶ ${title}`);
  }
  update(done: number, total: number, detail?: string): void {
    // Every 10% at most, so logs stay readable.
    const percent = total > 0 ? Math.floor((done / total) * 10) * 10 : 0;
    if (percent === this.lastPercent && done !== total) return;
    this.lastPercent = percent;
    this.write(`  ${this.title}: ${done}/${total}${detail ? ` ${detail}` : ''}`);
  }
  info(line: string): void {
    this.write(`  ${line}`);
  }
  warn(line: string): void {
    this.write(`  warning: ${line}`);
  }
  done(summary?: string): void {
    this.write(`✔ ${this.title} (${elapsed(this.started)})${summary ? `: ${summary}` : ''}`);
  }
}

class BarProgress implements Progress {
  private bar: cliProgress.SingleBar | null = null;
  private title = '';
  private started = Date.now();
  constructor(private readonly out: NodeJS.WritableStream) {}
  step(title: string): void {
    this.stopBar();
    this.title = title;
    this.started = Date.now();
    this.out.write(`▶ ${title}\n`);
  }
  update(done: number, total: number, detail?: string): void {
    if (!this.bar) {
      this.bar = new cliProgress.SingleBar(
        {
          stream: this.out,
          format: '  {bar} {value}/{total} {detail}',
          hideCursor: true,
          clearOnComplete: true,
        },
        cliProgress.Presets.shades_classic,
      );
      this.bar.start(total, done, { detail: detail ?? '' });
    }
    this.bar.setTotal(total);
    this.bar.update(done, { detail: detail ?? '' });
  }
  info(line: string): void {
    this.withBarPaused(() => this.out.write(`  ${line}\n`));
  }
  warn(line: string): void {
    this.withBarPaused(() => this.out.write(`  warning: ${line}\n`));
  }
  done(summary?: string): void {
    this.stopBar();
    this.out.write(`✔ ${this.title} (${elapsed(this.started)})${summary ? `: ${summary}` : ''}\n`);
  }
  private withBarPaused(fn: () => void): void {
    // cli-progress redraws in place; a line printed under a live bar would be overwritten.
    const bar = this.bar;
    if (!bar) return fn();
    this.stopBar();
    fn();
  }
  private stopBar(): void {
    this.bar?.stop();
    this.bar = null;
  }
}
