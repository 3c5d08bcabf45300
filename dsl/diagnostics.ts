/**
 * Diagnostics: what the language tells a person about a file, located to the
 * exact span of source it is about.
 *
 * Positions are 1-based lines and columns and 0-based offsets, all counted in
 * characters (UTF-16 code units, as JavaScript strings count them). A span's
 * `end` is exclusive: the position just after its last character.
 *
 * @module
 */
import { z } from "zod";

/** A place in a source text. */
export const Position = z.object({
  /** 1-based line. */
  line: z.number().int().positive(),
  /** 1-based column. */
  col: z.number().int().positive(),
  /** 0-based offset from the start of the text. */
  offset: z.number().int().nonnegative(),
});
export type Position = z.infer<typeof Position>;

/** A range of one source file; `end` is exclusive. */
export const Span = z.object({ file: z.string(), start: Position, end: Position });
export type Span = z.infer<typeof Span>;

/** Another place a diagnostic refers to (e.g. the first declaration of a duplicate). */
export const Related = Span.extend({ message: z.string() });
export type Related = z.infer<typeof Related>;

/** One message about a file. Errors block a plan; warnings do not. */
export const Diagnostic = z.object({
  severity: z.enum(["error", "warning"]),
  /** Stable identifier of the kind of problem, e.g. `duplicate-name`. */
  code: z.string().min(1),
  message: z.string(),
  /** What probably fixes it, e.g. `did you mean 'switch'?`. */
  hint: z.string().optional(),
  file: z.string(),
  start: Position,
  end: Position,
  related: z.array(Related).optional(),
});
export type Diagnostic = z.infer<typeof Diagnostic>;

/** Options of {@link diag}: a hint and related places. */
export interface DiagExtra {
  hint?: string;
  related?: Related[];
}

/** Build an error at `span`. */
export function error(
  span: Span,
  code: string,
  message: string,
  extra: DiagExtra = {},
): Diagnostic {
  return diag("error", span, code, message, extra);
}

/** Build a warning at `span`. */
export function warning(
  span: Span,
  code: string,
  message: string,
  extra: DiagExtra = {},
): Diagnostic {
  return diag("warning", span, code, message, extra);
}

function diag(
  severity: Diagnostic["severity"],
  span: Span,
  code: string,
  message: string,
  extra: DiagExtra,
): Diagnostic {
  const d: Diagnostic = {
    severity,
    code,
    message,
    file: span.file,
    start: span.start,
    end: span.end,
  };
  if (extra.hint !== undefined) d.hint = extra.hint;
  if (extra.related && extra.related.length > 0) d.related = extra.related;
  return d;
}

/** A related place with a message, from a span. */
export function related(span: Span, message: string): Related {
  return { file: span.file, start: span.start, end: span.end, message };
}

/** The span covering the first character of a file (for file-wide problems). */
export function fileStart(file: string): Span {
  const p = { line: 1, col: 1, offset: 0 };
  return { file, start: p, end: { line: 1, col: 2, offset: 1 } };
}

/** Line breaks, as the lexer counts them: LF, CRLF, or a lone CR. */
export const LINE_BREAK = /\r\n|\r|\n/;

/** Position of `offset` in `text`, computed by counting lines (for rare, non-token places). */
export function positionAt(text: string, offset: number): Position {
  const o = Math.max(0, Math.min(offset, text.length));
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < o; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || (c === 13 && text.charCodeAt(i + 1) !== 10)) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, col: o - lineStart + 1, offset: o };
}

/** True when any diagnostic is an error. */
export function hasErrors(diags: readonly Diagnostic[]): boolean {
  return diags.some((d) => d.severity === "error");
}

/**
 * Sort diagnostics for output: by file (in the order files were read), then
 * position, then code; and drop exact repeats.
 */
export function sortDiagnostics(
  diags: readonly Diagnostic[],
  fileOrder: string[] = [],
): Diagnostic[] {
  const rank = new Map(fileOrder.map((f, i) => [f, i]));
  const fileRank = (f: string) => rank.get(f) ?? fileOrder.length;
  const sorted = [...diags].sort((a, b) =>
    fileRank(a.file) - fileRank(b.file) || (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) ||
    a.start.offset - b.start.offset || a.end.offset - b.end.offset ||
    (a.code < b.code ? -1 : a.code > b.code ? 1 : 0) ||
    (a.message < b.message ? -1 : a.message > b.message ? 1 : 0)
  );
  const out: Diagnostic[] = [];
  let prev = "";
  for (const d of sorted) {
    const key =
      `${d.severity}\0${d.file}\0${d.start.offset}\0${d.end.offset}\0${d.code}\0${d.message}`;
    if (key !== prev) out.push(d);
    prev = key;
  }
  return out;
}

/** The diagnostics as plain JSON data (the `--json` output), validated by the schema. */
export function diagnosticsToJson(diags: readonly Diagnostic[]): unknown {
  return z.array(Diagnostic).parse(diags);
}
