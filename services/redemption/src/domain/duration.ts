const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** `30d`, `12h`, `15m`, `10s`, `500ms` (or a bare number of milliseconds) → milliseconds. */
export function parseDuration(value: string): number | undefined {
  const match = /^\s*(\d+)\s*(ms|s|m|h|d)?\s*$/.exec(value);
  if (!match) return undefined;
  const ms = Number(match[1]) * UNITS[match[2] ?? 'ms']!;
  return Number.isSafeInteger(ms) && ms > 0 ? ms : undefined;
}
