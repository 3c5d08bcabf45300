/**
 * Quoted strings: escapes and `${name}` references, each located.
 *
 * Escapes: `\"`, `\\`, `\$` (a literal `$`), `\n`, `\t`. A `$` not followed
 * by `{` is literal.
 *
 * @module
 */
import type { IToken } from "./chevrotain.ts";
import type { Text, TextPart } from "./ast.ts";
import { type Diagnostic, error, type Span } from "./diagnostics.ts";
import { BARE, SMART, tokenSpan } from "./lexer.ts";

const VAR_NAME = /^[A-Za-z_][\w.\-]*$/;

/** What each escape stands for. */
const ESCAPES: Record<string, string | undefined> = {
  '"': '"',
  "\\": "\\",
  "$": "$",
  n: "\n",
  t: "\t",
};

function sub(file: string, t: IToken, from: number, to: number): Span {
  const line = t.startLine ?? 1;
  const col = t.startColumn ?? 1;
  return {
    file,
    start: { line, col: col + from, offset: t.startOffset + from },
    end: { line, col: col + to, offset: t.startOffset + to },
  };
}

/** Turn a string token into Text, reporting bad escapes and references. */
export function stringText(file: string, t: IToken, diags: Diagnostic[]): Text {
  const img = t.image;
  const span = tokenSpan(file, t);
  // Where the body starts and ends: after the opening quote and before the
  // closing one; a bare `${x}/y` has no quotes; an unterminated string no end.
  const bare = t.payload === BARE;
  const smart = t.payload === SMART;
  const closed = smart ||
    (!bare && img.length >= 2 && img.endsWith('"') && !/(^|[^\\])(\\\\)*\\"$/.test(img.slice(1)));
  const begin = bare ? 0 : 1;
  const end = closed ? img.length - 1 : img.length;
  const body = img.slice(begin, end);
  // Fast path: nothing to unescape or expand.
  if (!body.includes("\\") && !body.includes("$")) {
    return { text: body, span, quoted: true };
  }
  const parts: TextPart[] = [];
  let lit = "";
  let hasVar = false;
  let bad = false;
  // Plain runs are copied as slices, not character by character.
  let start = begin;
  let i = begin;
  while (i < end) {
    const c = img.charCodeAt(i);
    if (c === 92) { // '\\'
      lit += img.slice(start, i);
      const n = img[i + 1];
      const esc = n === undefined ? undefined : ESCAPES[n];
      if (esc !== undefined) {
        lit += esc;
      } else {
        bad = true;
        diags.push(
          error(sub(file, t, i, i + 2), "invalid-escape", `unknown escape '\\${n ?? ""}'`, {
            hint: 'escapes are \\" \\\\ \\$ \\n \\t',
          }),
        );
      }
      i += 2;
      start = i;
    } else if (c === 36 && img.charCodeAt(i + 1) === 123) { // '${'
      lit += img.slice(start, i);
      const close = img.indexOf("}", i + 2);
      if (close === -1 || close >= end) {
        bad = true;
        diags.push(
          error(sub(file, t, i, end), "invalid-variable", "'${' is not closed", {
            hint: "write ${name}, or \\$ for a literal '$'",
          }),
        );
        start = end;
        break;
      }
      const name = img.slice(i + 2, close);
      const vspan = sub(file, t, i, close + 1);
      if (!VAR_NAME.test(name)) {
        bad = true;
        diags.push(
          error(
            vspan,
            "invalid-variable",
            name === "" ? "empty variable reference" : `'${name}' is not a variable name`,
          ),
        );
      } else {
        if (lit) parts.push(lit);
        lit = "";
        parts.push({ name, span: vspan });
        hasVar = true;
      }
      i = close + 1;
      start = i;
    } else i++;
  }
  if (start < end) lit += img.slice(start, end);
  if (lit) parts.push(lit);
  const text: Text = hasVar
    ? { text: "", span, quoted: true, parts }
    : { text: parts.join(""), span, quoted: true };
  if (bad) text.bad = true;
  return text;
}

/** Quote `s` as a string literal of the language (inverse of {@link stringText}). */
export function quote(s: string): string {
  return '"' + s.replace(/[\\"$\n\t]/g, (c) => c === "\n" ? "\\n" : c === "\t" ? "\\t" : "\\" + c) +
    '"';
}
