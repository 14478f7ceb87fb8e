/** Where a command writes: lines for people, JSON for scripts, a live progress line on terminals. */
export interface Output {
  line(text?: string): void;
  json(value: unknown): void;
  warn(text: string): void;
  /** Writes to stderr without a newline (prompts). */
  ask(text: string): void;
  /** Replaces the current progress line on a terminal; elsewhere prints it when it changes. */
  progress(text: string): void;
  endProgress(): void;
}

/** Anything that takes text: process.stdout, or a buffer in tests. */
export interface TextSink {
  write(chunk: string): unknown;
  isTTY?: boolean;
}

export function createOutput(stdout: TextSink, stderr: TextSink): Output {
  let shown: string | undefined;
  let onLine = false;
  return {
    line: (text = '') => void stdout.write(`${text}\n`),
    json: (value) => void stdout.write(`${JSON.stringify(value, null, 2)}\n`),
    warn: (text) => void stderr.write(`${text}\n`),
    ask: (text) => void stderr.write(text),
    progress(text) {
      if (stderr.isTTY) {
        stderr.write(`\r\x1b[2K${text}`);
        onLine = true;
      } else if (text !== shown) stderr.write(`${text}\n`);
      shown = text;
    },
    endProgress() {
      if (onLine) stderr.write('\n');
      onLine = false;
      shown = undefined;
    },
  };
}

const euros = new Intl.NumberFormat('en-IE', { style: 'currency', currency: 'EUR' });

/** `12345` → `€123.45`. */
export const formatCents = (cents: number) => euros.format(cents / 100);

/** A plain-text table; columns listed in `right` are right-aligned (amounts, counts). */
export function formatTable(header: string[], rows: string[][], right: number[] = []): string {
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const render = (row: string[]) =>
    row
      .map((cell, column) =>
        right.includes(column) ? cell.padStart(widths[column]!) : cell.padEnd(widths[column]!),
      )
      .join('  ')
      .trimEnd();
  return [render(header), render(widths.map((w) => '─'.repeat(w))), ...rows.map(render)].join('\n');
}

const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
export const spinnerFrame = (tick: number) => FRAMES[tick % FRAMES.length]!;
