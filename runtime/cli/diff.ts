/**
 * Unified diffs of two texts, line by line (Myers' O(ND) algorithm), for
 * `ipnctl fmt --diff`.
 *
 * @module
 */

type Op = { kind: " " | "-" | "+"; line: string };

/** The shortest edit script turning `a` into `b`. */
function editScript(a: string[], b: string[]): Op[] {
  const n = a.length;
  const m = b.length;
  const max = n + m;
  const off = max + 1;
  const v = new Int32Array(2 * max + 3);
  const trace: Int32Array[] = [];
  let found = false;
  for (let d = 0; d <= max && !found; d++) {
    trace.push(v.slice());
    for (let k = -d; k <= d; k += 2) {
      let x = k === -d || (k !== d && v[off + k - 1] < v[off + k + 1])
        ? v[off + k + 1]
        : v[off + k - 1] + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      v[off + k] = x;
      if (x >= n && y >= m) {
        found = true;
        break;
      }
    }
  }
  // Walk back through the trace to recover the path.
  const ops: Op[] = [];
  let x = n;
  let y = m;
  for (let d = trace.length - 1; d >= 0; d--) {
    const vd = trace[d];
    const k = x - y;
    const prevK = k === -d || (k !== d && vd[off + k - 1] < vd[off + k + 1]) ? k + 1 : k - 1;
    const prevX = d === 0 ? 0 : vd[off + prevK];
    const prevY = prevX - prevK;
    while (x > prevX && y > prevY) {
      x--;
      y--;
      ops.push({ kind: " ", line: a[x] });
    }
    if (d > 0) {
      if (x === prevX) ops.push({ kind: "+", line: b[--y] });
      else ops.push({ kind: "-", line: a[--x] });
    }
  }
  return ops.reverse();
}

function splitLines(s: string): string[] {
  const lines = s.split("\n");
  if (lines[lines.length - 1] === "") lines.pop();
  return lines;
}

/** A unified diff with 3 lines of context, or "" when the texts are equal. */
export function unifiedDiff(a: string, b: string, fromName: string, toName: string): string {
  if (a === b) return "";
  const ops = editScript(splitLines(a), splitLines(b));
  const context = 3;
  const out = [`--- ${fromName}`, `+++ ${toName}`];
  let i = 0;
  let aLine = 1;
  let bLine = 1;
  const pos: { a: number; b: number }[] = [];
  for (const op of ops) {
    pos.push({ a: aLine, b: bLine });
    if (op.kind !== "+") aLine++;
    if (op.kind !== "-") bLine++;
  }
  while (i < ops.length) {
    if (ops[i].kind === " ") {
      i++;
      continue;
    }
    // A hunk: from `context` lines before this change to `context` after the last
    // change that is within 2*context lines of the previous one.
    const start = Math.max(0, i - context);
    let end = i;
    let j = i;
    while (j < ops.length) {
      if (ops[j].kind !== " ") {
        end = j;
        j++;
        continue;
      }
      let run = 0;
      while (j + run < ops.length && ops[j + run].kind === " ") run++;
      if (j + run >= ops.length || run > 2 * context) break;
      j += run;
    }
    const stop = Math.min(ops.length, end + 1 + context);
    const hunk = ops.slice(start, stop);
    const aCount = hunk.filter((o) => o.kind !== "+").length;
    const bCount = hunk.filter((o) => o.kind !== "-").length;
    const aStart = aCount === 0 ? pos[start].a - 1 : pos[start].a;
    const bStart = bCount === 0 ? pos[start].b - 1 : pos[start].b;
    out.push(`@@ -${aStart},${aCount} +${bStart},${bCount} @@`);
    for (const o of hunk) out.push(o.kind + o.line);
    i = stop;
  }
  return out.join("\n") + "\n";
}
