/**
 * The formatter: one canonical layout, no options, idempotent.
 *
 * - one statement per line, two spaces of indent per block level;
 * - every non-empty block is written over several lines, `{` at the end of
 *   its statement's line, `}` on a line of its own; an empty block is `{}`;
 * - values are separated by one space, lists are written without spaces
 *   (`1-8,12`);
 * - declarations (top level and inside `host`) that are blocks are
 *   separated by exactly one blank line; elsewhere at most one blank line is
 *   kept, and none after `{` or before `}`;
 * - comments stay where they are: a comment on a line of its own stays on
 *   its own line before the same statement (re-indented); a comment after
 *   code stays at the end of that line. A comment inside a statement that
 *   the canonical layout puts on one line moves to the end of that line.
 *
 * A file with syntax errors is not formatted: the diagnostics say why.
 *
 * @module
 */
import type { CstNode, IToken } from "./chevrotain.ts";
import { type Diagnostic, hasErrors, sortDiagnostics } from "./diagnostics.ts";
import { parseFile } from "./parse_file.ts";
import { STATEMENT_RULES } from "./parser.ts";

const INDENT = "  ";

interface Shape {
  /** Offsets of tokens that start a statement. */
  starts: Set<number>;
  /** Statement starts whose statement holds a block. */
  blocks: Set<number>;
  /** Statement starts of declarations (top level or directly inside `host`). */
  decls: Set<number>;
}

function isToken(x: CstNode | IToken): x is IToken {
  return (x as IToken).image !== undefined;
}

/** First token offset of a node and whether it holds a '{'. */
function scan(n: CstNode, shape: Shape, declLevel: boolean): { first: number; block: boolean } {
  let first = Infinity;
  let block = false;
  const hostBody = n.name === "hostBlock";
  for (const key in n.children) {
    for (const c of n.children[key]!) {
      if (isToken(c)) {
        if (c.isInsertedInRecovery) continue;
        if (c.startOffset < first) first = c.startOffset;
        if (key === "LCurly") block = true;
      } else {
        // `declaration` wraps the block it declares; inside `host` declarations are
        // declaration-level too.
        const childDecl = (declLevel && n.name === "declaration") ||
          (hostBody && c.name === "declaration");
        const r = scan(c, shape, childDecl);
        if (r.first < first) first = r.first;
        block ||= r.block;
      }
    }
  }
  if (STATEMENT_RULES.has(n.name) && first !== Infinity) {
    shape.starts.add(first);
    if (block) shape.blocks.add(first);
    if (declLevel) shape.decls.add(first);
  }
  // A declaration wrapper passes its level to the block it wraps.
  return { first, block };
}

function shapeOf(cst: CstNode): Shape {
  const shape: Shape = { starts: new Set(), blocks: new Set(), decls: new Set() };
  // Statements directly in the file are declarations-level.
  for (const key in cst.children) {
    for (const c of cst.children[key]!) {
      if (isToken(c)) continue;
      scan(c, shape, true);
    }
  }
  return shape;
}

type Item = { kind: "tok"; t: IToken } | { kind: "comment"; t: IToken };

/** Format tokens and comments of a parsed file. */
function layout(tokens: IToken[], comments: IToken[], shape: Shape): string {
  const items: Item[] = [];
  let i = 0;
  let j = 0;
  while (i < tokens.length || j < comments.length) {
    if (
      j >= comments.length || (i < tokens.length && tokens[i].startOffset < comments[j].startOffset)
    ) {
      items.push({ kind: "tok", t: tokens[i++] });
    } else items.push({ kind: "comment", t: comments[j++] });
  }
  const out: string[] = [];
  let line: string | null = null;
  let trailing: string[] = [];
  let depth = 0;
  let prevLine = 0; // source line of the previous item
  let prevWasOpen = false; // previous token was '{'
  let prevTok: IToken | undefined;
  /** At each depth: was the previous declaration a block? */
  const lastDeclBlock: boolean[] = [];

  const flush = () => {
    if (line === null) return;
    out.push(trailing.length ? `${line}  ${trailing[0]}` : line);
    for (const extra of trailing.slice(1)) out.push(INDENT.repeat(depth) + extra);
    line = null;
    trailing = [];
  };
  const blank = () => {
    if (out.length > 0 && out[out.length - 1] !== "") out.push("");
  };
  const sourceBlank = (t: IToken) => (t.startLine ?? 0) - prevLine > 1;
  const nextToken = (k: number): IToken | undefined => {
    for (let m = k + 1; m < items.length; m++) if (items[m].kind === "tok") return items[m].t;
    return undefined;
  };
  const startsLine = (t: IToken | undefined) =>
    t === undefined || t.image === "}" && t.tokenType.name === "RCurly" ||
    shape.starts.has(t.startOffset);
  /** Blank line before a group (comments + statement) starting at item k. */
  const groupBlank = (k: number, first: IToken) => {
    if (out.length === 0 || prevWasOpen) return;
    const stmt = nextToken(k - 1);
    if (stmt && shape.decls.has(stmt.startOffset) && stmt.image !== "}") {
      const prevBlock = lastDeclBlock[depth] ?? false;
      if (prevBlock || shape.blocks.has(stmt.startOffset)) {
        if (lastDeclBlock[depth] !== undefined) blank();
        return;
      }
    }
    if (sourceBlank(first)) blank();
  };

  let inGroup = false; // own-line comments already emitted before the next statement
  for (let k = 0; k < items.length; k++) {
    const it = items[k];
    const t = it.t;
    if (it.kind === "comment") {
      const text = t.image.replace(/\s+$/, "");
      const sameLine = prevTok !== undefined && (t.startLine ?? 0) === prevLine && line !== null;
      if (sameLine || !startsLine(nextToken(k))) {
        line ??= INDENT.repeat(depth);
        trailing.push(text);
      } else {
        flush();
        if (!inGroup) groupBlank(k, t);
        else if (sourceBlank(t)) blank();
        out.push(INDENT.repeat(depth) + text);
        inGroup = true;
      }
      prevLine = t.startLine ?? prevLine;
      continue;
    }
    const isClose = t.image === "}" && t.tokenType.name === "RCurly";
    const isOpen = t.image === "{" && t.tokenType.name === "LCurly";
    if (isClose) {
      if (prevWasOpen && line !== null && trailing.length === 0) {
        // Empty block: `{}` on the statement's line.
        line += "}";
        depth--;
        lastDeclBlock.length = depth + 1;
        prevWasOpen = false;
      } else {
        flush();
        lastDeclBlock.length = depth;
        depth--;
        line = INDENT.repeat(Math.max(0, depth)) + "}";
      }
      inGroup = false;
    } else if (shape.starts.has(t.startOffset)) {
      flush();
      if (!inGroup) groupBlank(k, t);
      else if (sourceBlank(t)) blank();
      inGroup = false;
      line = INDENT.repeat(depth) + t.image;
      if (shape.decls.has(t.startOffset)) lastDeclBlock[depth] = shape.blocks.has(t.startOffset);
      prevWasOpen = false;
    } else if (isOpen) {
      line = (line ?? INDENT.repeat(depth)) + " {";
      depth++;
      prevWasOpen = true;
    } else {
      const sep: string = line === null || t.image === "," || prevTok?.image === "," ? "" : " ";
      line = (line ?? INDENT.repeat(depth)) + sep + t.image;
      prevWasOpen = false;
    }
    if (!isOpen) prevWasOpen = false;
    prevTok = t;
    prevLine = t.startLine ?? prevLine;
  }
  flush();
  while (out.length && out[out.length - 1] === "") out.pop();
  return out.length ? out.join("\n") + "\n" : "";
}

/**
 * Format `text`. Returns the canonical text, or only diagnostics when the
 * file does not parse (lexical, syntax or unknown-keyword errors).
 */
export function formatSource(
  text: string,
  file: string,
): { text?: string; diagnostics: Diagnostic[] } {
  try {
    const parsed = parseFile(text, file);
    const diagnostics = sortDiagnostics(parsed.diagnostics, [file]);
    if (hasErrors(diagnostics)) return { diagnostics };
    return { text: layout(parsed.tokens, parsed.comments, shapeOf(parsed.cst)), diagnostics };
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    return {
      diagnostics: [{
        severity: "error",
        code: "internal-error",
        message: `internal error: ${msg}`,
        hint: "this is a bug in ipn; please report it with the file",
        file,
        start: { line: 1, col: 1, offset: 0 },
        end: { line: 1, col: 2, offset: 1 },
      }],
    };
  }
}
