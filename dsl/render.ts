/**
 * Diagnostics for people: `file:line:col: error: message [code]`, the
 * source line, a caret and tildes under the exact span, a hint, and notes
 * for related places. Colour only when asked.
 *
 * @module
 */
import { type Diagnostic, LINE_BREAK, type Related } from "./diagnostics.ts";

/** Options of {@link renderDiagnostics}. */
export interface RenderOptions {
  /** ANSI colours (the CLI asks for them on a terminal without NO_COLOR). */
  color: boolean;
}

const ESC = "\x1b[";
type Style = "bold" | "red" | "yellow" | "cyan" | "green" | "blue";
const CODES: Record<Style, string> = {
  bold: "1",
  red: "1;31",
  yellow: "1;33",
  cyan: "1;36",
  green: "1;32",
  blue: "1;34",
};

class Painter {
  constructor(private readonly on: boolean) {}
  paint(s: Style, text: string): string {
    return this.on ? `${ESC}${CODES[s]}m${text}${ESC}0m` : text;
  }
}

/** Lines of each source, split once. */
class Lines {
  private cache = new Map<string, string[]>();
  constructor(private readonly sources: Map<string, string>) {}
  get(file: string, line: number): string | undefined {
    let ls = this.cache.get(file);
    if (!ls) {
      const text = this.sources.get(file);
      if (text === undefined) return undefined;
      ls = text.split(LINE_BREAK);
      this.cache.set(file, ls);
    }
    return ls[line - 1];
  }
}

/** Characters that keep a terminal's columns (control characters would not). */
function printable(s: string): string {
  // deno-lint-ignore no-control-regex
  return s.replace(/[\x00-\x08\x0b-\x1f\x7f]/g, "?");
}

function snippet(
  p: Painter,
  lines: Lines,
  place: Related | Diagnostic,
  underline: Style,
): string[] {
  const text = lines.get(place.file, place.start.line);
  if (text === undefined) return [];
  const num = String(place.start.line);
  const pad = " ".repeat(num.length);
  const startCol = Math.min(place.start.col, text.length + 1);
  const sameLine = place.end.line === place.start.line;
  const endCol = sameLine ? Math.min(place.end.col, text.length + 1) : text.length + 1;
  const width = Math.max(1, endCol - startCol);
  // Keep tabs where the source has them so the caret lines up in any terminal.
  const lead = text.slice(0, startCol - 1).replace(/[^\t]/g, " ");
  const marks = "^" + "~".repeat(width - 1);
  return [
    `${p.paint("blue", ` ${num} |`)} ${printable(text)}`,
    `${p.paint("blue", ` ${pad} |`)} ${lead}${p.paint(underline, marks)}`,
  ];
}

function header(
  p: Painter,
  place: Related | Diagnostic,
  kind: string,
  style: Style,
  msg: string,
): string {
  const loc = `${place.file}:${place.start.line}:${place.start.col}:`;
  return `${p.paint("bold", loc)} ${p.paint(style, kind + ":")} ${p.paint("bold", msg)}`;
}

/** Render diagnostics, each followed by its source line, hint and notes. */
export function renderDiagnostics(
  diags: readonly Diagnostic[],
  sources: Map<string, string>,
  opts: RenderOptions,
): string {
  const p = new Painter(opts.color);
  const lines = new Lines(sources);
  const out: string[] = [];
  for (const d of diags) {
    const style: Style = d.severity === "error" ? "red" : "yellow";
    const block = [header(p, d, d.severity, style, `${d.message} [${d.code}]`)];
    const snip = snippet(p, lines, d, "green");
    block.push(...snip);
    if (d.hint) {
      const pad = snip.length ? " ".repeat(String(d.start.line).length + 2) : "";
      block.push(`${pad}${p.paint("cyan", "= hint:")} ${d.hint}`);
    }
    for (const r of d.related ?? []) {
      block.push(header(p, r, "note", "cyan", r.message));
      block.push(...snippet(p, lines, r, "cyan"));
    }
    out.push(block.join("\n"));
  }
  return out.length ? out.join("\n\n") + "\n" : "";
}

/** `2 errors, 1 warning` (or `no problems`). */
export function summarize(diags: readonly Diagnostic[]): string {
  const e = diags.filter((d) => d.severity === "error").length;
  const w = diags.length - e;
  const parts: string[] = [];
  if (e) parts.push(`${e} error${e === 1 ? "" : "s"}`);
  if (w) parts.push(`${w} warning${w === 1 ? "" : "s"}`);
  return parts.length ? parts.join(", ") : "no problems";
}
