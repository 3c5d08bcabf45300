/**
 * "Did you mean ...?": the closest candidate by edit distance.
 *
 * @module
 */

/**
 * Optimal string alignment distance (Levenshtein plus adjacent
 * transpositions, so `swtich` is one edit from `switch`).
 */
export function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  const n = a.length;
  const m = b.length;
  if (n === 0) return m;
  if (m === 0) return n;
  let prev2 = new Array<number>(m + 1).fill(0);
  let prev = Array.from({ length: m + 1 }, (_, j) => j);
  let cur = new Array<number>(m + 1).fill(0);
  for (let i = 1; i <= n; i++) {
    cur[0] = i;
    for (let j = 1; j <= m; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        v = Math.min(v, prev2[j - 2] + 1);
      }
      cur[j] = v;
    }
    [prev2, prev, cur] = [prev, cur, prev2];
  }
  return prev[m];
}

/**
 * The candidate closest to `word`, if close enough to be a likely typo:
 * at most a third of the word's length in edits (at least one), or a
 * case-only difference, or a candidate the word starts with (`vlan0x1F`).
 * Ties go to the earlier candidate.
 */
export function closest(word: string, candidates: Iterable<string>): string | undefined {
  const limit = Math.max(1, Math.floor(word.length / 3));
  let best: string | undefined;
  let bestD = Infinity;
  const lower = word.toLowerCase();
  const list = [...candidates];
  for (const c of list) {
    if (c === word) continue;
    const d = c.toLowerCase() === lower ? 0.5 : editDistance(word, c);
    if (d < bestD) {
      bestD = d;
      best = c;
    }
  }
  if (bestD <= limit) return best;
  // A keyword with something stuck to it: `vlan0x1F`, `mtu1500`.
  for (const c of list) if (c.length >= 3 && word.startsWith(c)) return c;
  return undefined;
}

/** `did you mean 'x'?` or undefined. */
export function didYouMean(word: string, candidates: Iterable<string>): string | undefined {
  const c = closest(word, candidates);
  return c === undefined ? undefined : `did you mean '${c}'?`;
}
