/**
 * The state and helpers of one CST -> AST conversion: reading tokens and
 * values out of Chevrotain's CST nodes, and reporting what the grammar lets
 * through on purpose (unknown or misplaced keywords, stray values, settings
 * given twice).
 *
 * @module
 */
import type { CstNode, IToken } from "../chevrotain.ts";
import type * as A from "../ast.ts";
import { type Diagnostic, error, related, type Span } from "../diagnostics.ts";
import { type Context, CONTEXTS, STATEMENTS, StringLit, tokenSpan } from "../lexer.ts";
import { FIRST_TOKENS } from "../parser.ts";
import { stringText } from "../strings.ts";
import { didYouMean } from "../suggest.ts";

type Child = CstNode | IToken;

/** How each context is named in messages, and how it is written. */
const CONTEXT_NAME: Record<Context, [string, string]> = {
  top: ["at the top level", "the top level"],
  host: ["in a host block", "host NAME { ... }"],
  network: ["in a network", "network NAME { ... }"],
  switch: ["in 'policy switch'", "policy switch { ... }"],
  concast: ["in 'policy concast'", "policy concast { ... }"],
  access: ["in 'access'", "access { ... }"],
  tap: ["in a tap", "tap NAME { ... }"],
  grab: ["in a grab", "grab NAME { ... }"],
  uplink: ["in an uplink", "uplink vxlan { ... }"],
  rewrite: ["in a rewrite", "rewrite NAME { ... }"],
  bind: ["in a bind", "bind NAME { ... }"],
  endpoint: ["in an endpoint", "endpoint NAME { ... }"],
};

/** The children of an absent key (shared; never written to). */
const NONE: never[] = [];
export const FIELD_TYPES = ["u8", "u16", "u32", "u64"] as const;
export const MERGE_FNS = ["count", "sum", "min", "max", "first", "last", "dedup"] as const;
export const BACKENDS = ["auto", "user", "kernel"] as const;

/** CST keys of each context's unknown statements and of their first word. */
const UNKNOWN_KEY = Object.fromEntries(CONTEXTS.map((c) => [c, `unknown_${c}`])) as Record<
  Context,
  string
>;
const OTHER_KEY = Object.fromEntries(CONTEXTS.map((c) => [c, `Other_${c}`])) as Record<
  Context,
  string
>;

/** CST key of a keyword's token (interned once). */
const KW_KEYS = new Map<string, string>();
export function kwKey(word: string): string {
  let k = KW_KEYS.get(word);
  if (k === undefined) KW_KEYS.set(word, k = `Kw_${word}`);
  return k;
}

/** Blocks a context can sit in (a keyword of one of them suggests a missing '}'). */
const ENCLOSING: Record<Context, Context[]> = {
  top: [],
  host: ["top"],
  network: ["host", "top"],
  rewrite: ["host", "top"],
  bind: ["host", "top"],
  endpoint: ["host", "top"],
  switch: ["network", "host", "top"],
  concast: ["network", "host", "top"],
  access: ["network", "host", "top"],
  tap: ["network", "host", "top"],
  grab: ["network", "host", "top"],
  uplink: ["network", "host", "top"],
};

export function isToken(c: Child | undefined): c is IToken {
  return c !== undefined && (c as IToken).image !== undefined;
}

/** State of one conversion. */
export class Conv {
  constructor(
    readonly file: string,
    readonly diags: Diagnostic[],
    /** Offsets of tokens a parse error was reported at. */
    readonly errorAt: Set<number>,
  ) {}

  /**
   * True when the parser recovered inside this node, or an error was reported
   * at one of its tokens: its settings may be incomplete, so "missing ..."
   * checks are skipped for it.
   */
  recovered(n: CstNode): boolean {
    if (n.recoveredNode) return true;
    if (this.errorAt.size === 0) return false;
    const [lo, hi] = extent(n);
    for (const o of this.errorAt) if (o >= lo && o <= hi) return true;
    return false;
  }

  span(t: IToken): Span {
    return tokenSpan(this.file, t);
  }

  /** First real (not recovery-inserted) token under `key`. */
  tok(n: CstNode, key: string): IToken | undefined {
    const t = n.children[key]?.[0];
    return isToken(t) && !t.isInsertedInRecovery ? t : undefined;
  }

  toks(n: CstNode, key: string): IToken[] {
    const all = (n.children[key] ?? NONE) as IToken[];
    for (let i = 0; i < all.length; i++) {
      if (all[i].isInsertedInRecovery) return all.filter((t) => !t.isInsertedInRecovery);
    }
    return all;
  }

  nodes(n: CstNode, key: string): CstNode[] {
    return (n.children[key] ?? NONE) as CstNode[];
  }

  node(n: CstNode, key: string): CstNode | undefined {
    return n.children[key]?.[0] as CstNode | undefined;
  }

  /** The keyword of a statement: the token it starts with. */
  kw(n: CstNode): IToken | undefined {
    for (const key of FIRST_TOKENS[n.name] ?? []) {
      const t = n.children[key]?.[0];
      if (t !== undefined && isToken(t) && !t.isInsertedInRecovery) return t;
    }
    return undefined;
  }

  /** Which of `words` (keywords) the node holds. */
  oneOf<W extends string>(n: CstNode, words: readonly W[]): W | undefined {
    for (const w of words) if (n.children[kwKey(w)] !== undefined) return w;
    return undefined;
  }

  num(t: IToken | undefined): A.Num | undefined {
    if (!t) return undefined;
    return { value: Number(t.image), text: t.image, span: this.span(t) };
  }

  word(t: IToken): A.Text {
    return { text: t.image, span: this.span(t), quoted: false };
  }

  /** Strings with variables, for the loader; `index` is the current top statement. */
  readonly interpolated: { index: number; text: A.Text }[] = [];
  index = 0;

  str(t: IToken): A.Text {
    const text = stringText(this.file, t, this.diags);
    if (text.parts) this.interpolated.push({ index: this.index, text });
    return text;
  }

  /** A name, address or principal: bare word or string. */
  textOf(t: IToken): A.Text {
    return t.tokenType === StringLit ? this.str(t) : this.word(t);
  }

  /** The value under `key` as Text, if present. */
  val(n: CstNode, key: string): A.Text | undefined {
    const t = this.tok(n, key);
    return t && this.textOf(t);
  }

  /** Record a single-valued setting, reporting a repeat. */
  once<T>(
    owner: { [k: string]: unknown },
    key: string,
    value: T | undefined,
    at: Span | undefined,
    what: string,
  ): void {
    if (value === undefined || at === undefined) return;
    const prev = owner[key] as { at: Span } | undefined;
    if (prev) {
      this.diags.push(
        error(at, "duplicate-setting", `${what} is set more than once`, {
          hint: "keep one",
          related: [related(prev.at, "first set here")],
        }),
      );
      return;
    }
    owner[key] = { value, at };
  }

  portList(n: CstNode | undefined): A.PortRange[] {
    if (!n) return [];
    const out: A.PortRange[] = [];
    for (const t of this.toks(n, "PortValue")) {
      const dash = t.image.indexOf("-");
      const from = Number(dash === -1 ? t.image : t.image.slice(0, dash));
      const to = dash === -1 ? from : Number(t.image.slice(dash + 1));
      out.push({ from, to, span: this.span(t) });
    }
    return out;
  }

  field(n: CstNode | undefined): A.FieldAst | undefined {
    if (!n) return undefined;
    const kw = this.tok(n, "Kw_field");
    const type = this.oneOf(n, FIELD_TYPES);
    const off = this.tok(n, "Int");
    if (!kw || !type || !off) return undefined;
    return {
      type,
      order: this.tok(n, "Kw_le") ? "le" : "be",
      offset: this.num(off)!,
      span: { file: this.file, start: this.span(kw).start, end: this.span(off).end },
    };
  }

  /** Report unknown statements and stray values of a block. */
  leftovers(n: CstNode, ctx: Context, owner?: string): void {
    // After one keyword of an enclosing block (a '}' is probably missing),
    // the others that follow it are the same mistake: report it once.
    // Most blocks have none of these: look before looping.
    const unknowns = n.children[UNKNOWN_KEY[ctx]] as CstNode[] | undefined;
    if (unknowns !== undefined) {
      let braceSuspect = false;
      for (const u of unknowns) {
        braceSuspect = this.unknown(u, ctx, owner, braceSuspect) || braceSuspect;
      }
    }
    const strays = n.children.stray as CstNode[] | undefined;
    if (strays !== undefined) { for (const s of strays) this.stray(s, ctx); }
    if (ctx === "top") {
      for (const t of this.toks(n, "RCurly")) {
        if (this.errorAt.has(t.startOffset)) continue;
        this.diags.push(
          error(this.span(t), "unexpected-token", "unexpected '}': no block is open here", {
            hint: "remove it, or check the '{' before it",
          }),
        );
      }
    }
  }

  /** Report one unknown statement; true when it looks like a missing '}'. */
  unknown(n: CstNode, ctx: Context, owner: string | undefined, quiet: boolean): boolean {
    const t = this.tok(n, OTHER_KEY[ctx]);
    if (!t || this.errorAt.has(t.startOffset)) return false;
    const word = t.image;
    const [where] = CONTEXT_NAME[ctx];
    const whereOwned = owner ? where.replace(/^in an? (\w+)$/, `in $1 '${owner}'`) : where;
    const homes = CONTEXTS.filter((c) => STATEMENTS[c].includes(word));
    if (homes.length > 0) {
      const outer = homes.some((c) => ENCLOSING[ctx].includes(c));
      if (outer && quiet) return true;
      const list = homes.map((c) => CONTEXT_NAME[c][1]);
      const goes = `'${word}' goes in ${list.join(" or ")}`;
      this.diags.push(
        error(this.span(t), "misplaced-keyword", `'${word}' does not belong ${whereOwned}`, {
          hint: outer ? `is a '}' missing before it? ${goes}` : goes,
        }),
      );
      return outer;
    }
    const valid = STATEMENTS[ctx];
    const kind = ctx === "top" || ctx === "host" ? "statement" : "setting";
    this.diags.push(
      error(this.span(t), "unknown-keyword", `unknown ${kind} '${word}' ${whereOwned}`, {
        hint: didYouMean(word, valid) ?? `expected one of: ${valid.join(", ")}`,
      }),
    );
    return false;
  }

  stray(n: CstNode, ctx: Context): void {
    const block = this.node(n, "anyBlock");
    const t = block ? this.tok(block, "LCurly") : this.kw(n);
    if (!t || this.errorAt.has(t.startOffset)) return;
    const [where] = CONTEXT_NAME[ctx];
    const what = block ? "a block" : t.image.startsWith('"') ? t.image : `'${t.image}'`;
    this.diags.push(
      error(this.span(t), "unexpected-token", `unexpected ${what} ${where}`, {
        hint: block
          ? "a block follows the statement it belongs to"
          : "a statement starts with a keyword; is a value one too many, or its keyword missing?",
      }),
    );
  }
}

/** Span of a statement's keyword. */
export function spanOf(c: Conv, n: CstNode): Span | undefined {
  const t = c.kw(n);
  return t && c.span(t);
}

/** First and last token offsets under a node. */
function extent(n: CstNode): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const key in n.children) {
    for (const c of n.children[key]!) {
      if (isToken(c)) {
        if (c.isInsertedInRecovery) continue;
        if (c.startOffset < lo) lo = c.startOffset;
        if (c.startOffset > hi) hi = c.startOffset;
      } else {
        const [a, b] = extent(c as CstNode);
        if (a < lo) lo = a;
        if (b > hi) hi = b;
      }
    }
  }
  return [lo, hi];
}
