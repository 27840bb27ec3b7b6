/** `15 min`, `2 h`, `manual`: how intervals read in tables. */
export function formatInterval(ms: number): string {
  if (ms <= 0) return 'manual';
  const minutes = ms / 60_000;
  if (minutes < 1) return `${Math.round(ms / 1000)} s`;
  if (minutes < 120 || minutes % 60 !== 0) return `${Math.round(minutes)} min`;
  return `${minutes / 60} h`;
}

/** `1.2 s`, `340 ms`, `3 min 5 s`. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const minutes = Math.floor(ms / 60_000);
  return `${minutes} min ${Math.round((ms % 60_000) / 1000)} s`;
}

/** `5 min ago`, `in 3 min`, `just now`, relative to `now`. */
export function formatRelative(at: Date, now: Date = new Date()): string {
  const delta = at.getTime() - now.getTime();
  const abs = Math.abs(delta);
  if (abs < 10_000) return 'just now';
  const units: [number, string][] = [
    [86_400_000, 'd'],
    [3_600_000, 'h'],
    [60_000, 'min'],
    [1000, 's'],
  ];
  const [size, unit] = units.find(([size]) => abs >= size) ?? [1000, 's'];
  const amount = Math.floor(abs / size);
  return delta < 0 ? `${amount} ${unit} ago` : `in ${amount} ${unit}`;
}

export function formatUsd(usd: number): string {
  if (usd === 0) return '$0';
  return usd < 0.01 ? `$${usd.toFixed(4)}` : `$${usd.toFixed(2)}`;
}

export function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}
