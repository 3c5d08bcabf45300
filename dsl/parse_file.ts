/**
 * One file through lexer, parser and CST -> AST, with every diagnostic of
 * those stages located in the file.
 *
 * @module
 */
import type { CstNode, IToken } from "./chevrotain.ts";
import type { FileAst } from "./ast.ts";
import { cstToAst } from "./cst_to_ast.ts";
import { type Diagnostic, error, positionAt, related, type Span } from "./diagnostics.ts";
import { Invalid, lex, tokenSpan } from "./lexer.ts";
import { isEof, parseTokens } from "./parser.ts";

/** A parsed file: its tree, its tokens and comments, and what was wrong. */
export interface ParsedFile {
  ast: FileAst;
  cst: CstNode;
  tokens: IToken[];
  comments: IToken[];
  diagnostics: Diagnostic[];
  /** True when the lexer or parser reported an error (the tree is partial). */
  syntaxErrors: boolean;
}

function endOfFile(text: string, file: string): Span {
  // Point just after the last non-blank character: that is where a '}' goes.
  const trimmed = text.replace(/\s+$/, "").length;
  const start = positionAt(text, trimmed);
  return { file, start, end: { ...start, col: start.col + 1, offset: start.offset + 1 } };
}

/** `{` tokens without a matching `}` before `end` (for "block not closed" notes). */
function unclosed(tokens: IToken[], end = Infinity): IToken[] {
  const stack: IToken[] = [];
  for (const t of tokens) {
    if (t.startOffset >= end) break;
    if (t.image === "{" && t.tokenType.name === "LCurly") stack.push(t);
    else if (t.image === "}" && t.tokenType.name === "RCurly") stack.pop();
  }
  return stack;
}

/** Lex, parse and convert `text`; never throws. */
export function parseFile(text: string, file: string): ParsedFile {
  const lexed = lex(text, file);
  const diagnostics = lexed.diagnostics;
  const { cst, errors } = parseTokens(lexed.tokens);
  // Tokens the lexer complained about count as errors inside their block.
  const errorAt = new Set<number>(lexed.diagnostics.map((d) => d.start.offset));
  for (const e of errors) {
    const t = e.token;
    if (isEof(t) || Number.isNaN(t.startOffset)) {
      const open = unclosed(lexed.tokens);
      const rel = open.length > 0
        ? [related(tokenSpan(file, open[open.length - 1]), "this block is not closed")]
        : undefined;
      diagnostics.push(
        error(endOfFile(text, file), "syntax-error", e.message, { hint: e.hint, related: rel }),
      );
      continue;
    }
    errorAt.add(t.startOffset);
    // The lexer already reported invalid words.
    if (t.tokenType === Invalid) continue;
    let rel;
    if (e.message.startsWith("expected '}'")) {
      const open = unclosed(lexed.tokens, t.startOffset);
      if (open.length > 0) {
        rel = [related(tokenSpan(file, open[open.length - 1]), "this block is not closed")];
      }
    }
    diagnostics.push(
      error(tokenSpan(file, t), "syntax-error", e.message, { hint: e.hint, related: rel }),
    );
  }
  const ast = cstToAst(cst, file, diagnostics, errorAt);
  const syntaxErrors = errors.length > 0 || lexed.diagnostics.some((d) => d.severity === "error");
  return { ast, cst, tokens: lexed.tokens, comments: lexed.comments, diagnostics, syntaxErrors };
}
