/**
 * Mutations of valid configs for the fuzz tests: deterministic (seeded),
 * token-aware (delete, duplicate, swap, replace tokens) and byte-level
 * (random characters, cut ranges, stray braces, truncation).
 *
 * @module
 */
import { KEYWORDS, lex } from "../../dsl/lexer.ts";

/** A small, fast, seeded PRNG (mulberry32). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ODD = [
  "{",
  "}",
  '"',
  "${",
  "#",
  ",",
  "=",
  "-",
  "/",
  ":",
  "\t",
  "\r",
  "\n",
  "\0",
  "\u00e9",
  "\u201c",
  "\ud83d\ude00",
  "\ud800",
  "99999999999999999999",
  "0x1F",
  "1-",
  "::",
  "10.0.0.1/",
];

/** One mutant of `text`. */
export function mutate(text: string, r: () => number): string {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];
  const toks = lex(text, "m").tokens;
  const n = toks.length;
  const at = (i: number) => toks[i].startOffset;
  const end = (i: number) => toks[i].startOffset + toks[i].image.length;
  const kind = Math.floor(r() * 9);
  if (n === 0 || kind >= 6) {
    // Byte-level.
    const pos = Math.floor(r() * (text.length + 1));
    switch (kind % 3) {
      case 0:
        return text.slice(0, pos) + pick(ODD) + text.slice(pos);
      case 1: {
        const len = 1 + Math.floor(r() * 20);
        return text.slice(0, pos) + text.slice(pos + len);
      }
      default:
        return text.slice(0, pos);
    }
  }
  const i = Math.floor(r() * n);
  switch (kind) {
    case 0: // delete a token
      return text.slice(0, at(i)) + text.slice(end(i));
    case 1: // duplicate a token
      return text.slice(0, end(i)) + " " + toks[i].image + text.slice(end(i));
    case 2: { // swap two tokens
      const j = Math.floor(r() * n);
      if (i === j) return text;
      const [a, b] = i < j ? [i, j] : [j, i];
      return text.slice(0, at(a)) + toks[b].image + text.slice(end(a), at(b)) + toks[a].image +
        text.slice(end(b));
    }
    case 3: // replace a token by a keyword
      return text.slice(0, at(i)) + pick(KEYWORDS) + text.slice(end(i));
    case 4: // replace a token by another token of the file
      return text.slice(0, at(i)) + toks[Math.floor(r() * n)].image + text.slice(end(i));
    default: { // duplicate a whole line range (duplicate declarations, braces)
      const lines = text.split("\n");
      const a = Math.floor(r() * lines.length);
      const b = Math.min(lines.length, a + 1 + Math.floor(r() * 6));
      lines.splice(b, 0, ...lines.slice(a, b));
      return lines.join("\n");
    }
  }
}
