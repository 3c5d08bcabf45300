/**
 * CST -> AST: turn Chevrotain's concrete syntax tree into the typed AST.
 *
 * Also reports what the grammar deliberately lets through so it can be
 * explained well: unknown or misplaced keywords (with "did you mean"),
 * stray values, settings given twice, malformed numbers and strings.
 * Nodes that the parser had to recover are converted as far as they go.
 *
 * @module
 */
import type { CstNode, IToken } from "chevrotain";
import type * as A from "./ast.ts";
import { type Diagnostic, error, related, type Span } from "./diagnostics.ts";
import {
  type Context,
  CONTEXTS,
  Duration,
  Int,
  STATEMENTS,
  StringLit,
  tokenSpan,
} from "./lexer.ts";
import { FIRST_TOKENS } from "./parser.ts";
import { stringText } from "./strings.ts";
import { didYouMean } from "./suggest.ts";

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

const NONE: readonly never[] = Object.freeze([]);
const FIELD_TYPES = ["u8", "u16", "u32", "u64"] as const;
const MERGE_FNS = ["count", "sum", "min", "max", "first", "last", "dedup"] as const;
const BACKENDS = ["auto", "user", "kernel"] as const;

/** CST key of a keyword's token (interned once). */
const KW_KEYS = new Map<string, string>();
function kwKey(word: string): string {
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

function isToken(c: Child | undefined): c is IToken {
  return c !== undefined && (c as IToken).image !== undefined;
}

/** State of one conversion. */
class Conv {
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
    return all.some((t) => t.isInsertedInRecovery)
      ? all.filter((t) => !t.isInsertedInRecovery)
      : all;
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
    let braceSuspect = false;
    for (const u of this.nodes(n, `unknown_${ctx}`)) {
      braceSuspect = this.unknown(u, ctx, owner, braceSuspect) || braceSuspect;
    }
    for (const s of this.nodes(n, "stray")) this.stray(s, ctx);
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
    const t = this.tok(n, `Other_${ctx}`);
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

// ---- declarations ------------------------------------------------------

function network(c: Conv, n: CstNode): A.NetworkDecl | undefined {
  const kw = c.tok(n, "Kw_network");
  const name = c.val(n, "NameValue");
  if (!kw || !name) return undefined;
  const d: A.NetworkDecl = {
    kind: "network",
    at: c.span(kw),
    recovered: c.recovered(n),
    name,
    // Every field from the start: objects of one shape are faster to fill.
    path: undefined,
    policy: undefined,
    ports: undefined,
    mtu: undefined,
    queue: undefined,
    delivery: undefined,
    persistent: undefined,
    description: undefined,
    access: undefined,
    taps: [],
    grabs: [],
    uplinks: [],
  };
  const o = d as unknown as Record<string, unknown>;
  for (const s of c.nodes(n, "pathStatement")) {
    const t = c.tok(s, "String");
    c.once(o, "path", t && c.str(t), spanOf(c, s), "path");
  }
  for (const s of c.nodes(n, "policyStatement")) {
    const p = policy(c, s);
    if (!p) continue;
    if (d.policy) {
      c.diags.push(
        error(p.at, "duplicate-setting", "policy is set more than once", {
          hint: "keep one",
          related: [related(d.policy.at, "first set here")],
        }),
      );
    } else d.policy = p;
  }
  for (
    const [rule, key] of [["portsStatement", "ports"], ["mtuStatement", "mtu"], [
      "queueStatement",
      "queue",
    ]] as const
  ) {
    for (const s of c.nodes(n, rule)) c.once(o, key, c.num(c.tok(s, "Int")), spanOf(c, s), key);
  }
  for (const s of c.nodes(n, "deliveryStatement")) {
    const v = c.tok(s, "Kw_lossy") ? "lossy" : c.tok(s, "Kw_lossless") ? "lossless" : undefined;
    c.once(o, "delivery", v, spanOf(c, s), "lossy/lossless");
  }
  for (const s of c.nodes(n, "persistentStatement")) {
    c.once(o, "persistent", true, spanOf(c, s), "persistent");
  }
  for (const s of c.nodes(n, "descriptionStatement")) {
    const t = c.tok(s, "String");
    c.once(o, "description", t && c.str(t), spanOf(c, s), "description");
  }
  for (const s of c.nodes(n, "accessBlock")) {
    const a = access(c, s);
    if (!a) continue;
    if (d.access) {
      c.diags.push(
        error(a.at, "duplicate-setting", "access is set more than once", {
          hint: "put owner, group and mode in one access block",
          related: [related(d.access.at, "first set here")],
        }),
      );
    } else d.access = a;
  }
  for (const s of c.nodes(n, "tapBlock")) {
    const t = tap(c, s);
    if (t) d.taps.push(t);
  }
  for (const s of c.nodes(n, "grabBlock")) {
    const g = grab(c, s);
    if (g) d.grabs.push(g);
  }
  for (const s of c.nodes(n, "uplinkBlock")) {
    const u = uplink(c, s);
    if (u) d.uplinks.push(u);
  }
  c.leftovers(n, "network", name.text);
  return d;
}

/** Span of a statement's keyword. */
function spanOf(c: Conv, n: CstNode): Span | undefined {
  const t = c.kw(n);
  return t && c.span(t);
}

function policy(c: Conv, n: CstNode): A.PolicyAst | undefined {
  const kw = c.tok(n, "Kw_policy");
  if (!kw) return undefined;
  const at = c.span(kw);
  if (c.tok(n, "Kw_hub")) return { kind: "hub", at };
  if (c.tok(n, "Kw_switch")) {
    const p: A.SwitchAst = { kind: "switch", at, vlans: [], trunks: [], ageing: undefined };
    const b = c.node(n, "switchBlock");
    if (b) {
      for (const s of c.nodes(b, "vlanStatement")) {
        const k = c.tok(s, "Kw_vlan");
        const id = c.num(c.tok(s, "Int"));
        if (k && id) {
          p.vlans.push({ at: c.span(k), vlan: id, ports: c.portList(c.node(s, "portList")) });
        }
      }
      for (const s of c.nodes(b, "trunkStatement")) {
        const k = c.tok(s, "Kw_trunk");
        const [ports, vlans] = c.nodes(s, "portList");
        if (k) p.trunks.push({ at: c.span(k), ports: c.portList(ports), vlans: c.portList(vlans) });
      }
      const o = p as unknown as Record<string, unknown>;
      for (const s of c.nodes(b, "ageingStatement")) {
        c.once(o, "ageing", c.num(c.tok(s, "Int")), spanOf(c, s), "ageing");
      }
      c.leftovers(b, "switch");
    }
    return p;
  }
  if (c.tok(n, "Kw_concast")) {
    const b = c.node(n, "concastBlock");
    const p: A.ConcastAst = {
      kind: "concast",
      at,
      recovered: c.recovered(n) || b === undefined,
      key: undefined,
      merge: undefined,
      done: undefined,
      output: undefined,
      receiver: undefined,
    };
    if (!b) return p;
    const o = p as unknown as Record<string, unknown>;
    for (const s of c.nodes(b, "keyStatement")) {
      c.once(o, "key", c.field(c.node(s, "field")), spanOf(c, s), "key");
    }
    for (const s of c.nodes(b, "mergeStatement")) {
      const k = c.tok(s, "Kw_merge");
      const fn = c.oneOf(s, MERGE_FNS);
      if (!k || !fn) continue;
      const m: A.MergeAst = {
        at: c.span(k),
        fn,
        fnSpan: c.span(c.tok(s, kwKey(fn))!),
        field: c.field(c.node(s, "field")),
      };
      if (p.merge) {
        c.diags.push(
          error(m.at, "duplicate-setting", "merge is set more than once", {
            hint: "keep one",
            related: [related(p.merge.at, "first set here")],
          }),
        );
      } else p.merge = m;
    }
    for (const s of c.nodes(b, "doneStatement")) {
      const k = c.tok(s, "Kw_done");
      if (!k) continue;
      const done: A.DoneAst = { at: c.span(k) };
      for (const cond of c.toks(s, "DoneValue")) {
        const i = cond.tokenType === Int ? cond : undefined;
        const dur = cond.tokenType === Duration ? cond : undefined;
        if (i) {
          const v = c.num(i)!;
          if (done.count) {
            c.diags.push(
              error(v.span, "invalid-done", "'done after' has two counts", {
                hint: "write a count and a time: done after 8 or 100ms",
              }),
            );
          } else done.count = v;
        } else if (dur) {
          const ms = dur.image.endsWith("ms")
            ? Number(dur.image.slice(0, -2))
            : Number(dur.image.slice(0, -1)) * 1000;
          const tm = { ms, text: dur.image, span: c.span(dur) };
          if (done.timeout) {
            c.diags.push(
              error(tm.span, "invalid-done", "'done after' has two times", {
                hint: "write a count and a time: done after 8 or 100ms",
              }),
            );
          } else done.timeout = tm;
        }
      }
      const prev = p.done;
      if (prev) {
        c.diags.push(
          error(done.at, "duplicate-setting", "done is set more than once", {
            hint: "one statement takes both: done after 8 or 100ms",
            related: [related(prev.at, "first set here")],
          }),
        );
      } else p.done = done;
    }
    for (const s of c.nodes(b, "outputStatement")) {
      const v = c.tok(s, "Kw_message") ? "message" : c.tok(s, "Kw_summary") ? "summary" : undefined;
      c.once(o, "output", v, spanOf(c, s), "output");
    }
    for (const s of c.nodes(b, "receiverStatement")) {
      c.once(o, "receiver", c.num(c.tok(s, "Int")), spanOf(c, s), "receiver");
    }
    c.leftovers(b, "concast");
    return p;
  }
  return undefined;
}

function principal(c: Conv, t: IToken | undefined): A.Principal | undefined {
  if (!t) return undefined;
  const text = c.textOf(t);
  return t.tokenType === Int ? { text, numeric: c.num(t) } : { text };
}

function access(c: Conv, n: CstNode): A.AccessAst | undefined {
  const kw = c.tok(n, "Kw_access");
  if (!kw) return undefined;
  const a: A.AccessAst = { at: c.span(kw), owner: undefined, group: undefined, mode: undefined };
  const o = a as unknown as Record<string, unknown>;
  for (const s of c.nodes(n, "ownerStatement")) {
    c.once(o, "owner", principal(c, c.tok(s, "PrincipalValue")), spanOf(c, s), "owner");
  }
  for (const s of c.nodes(n, "accessGroupStatement")) {
    c.once(o, "group", principal(c, c.tok(s, "PrincipalValue")), spanOf(c, s), "group");
  }
  for (const s of c.nodes(n, "modeStatement")) {
    c.once(o, "mode", c.num(c.tok(s, "Int")), spanOf(c, s), "mode");
  }
  c.leftovers(n, "access");
  return a;
}

function tap(c: Conv, n: CstNode): A.TapDecl | undefined {
  const kw = c.tok(n, "Kw_tap");
  const name = c.val(n, "NameValue");
  if (!kw || !name) return undefined;
  const t: A.TapDecl = {
    kind: "tap",
    at: c.span(kw),
    recovered: c.recovered(n),
    name,
    addresses: [],
    mtu: undefined,
    port: undefined,
    down: undefined,
  };
  const o = t as unknown as Record<string, unknown>;
  for (const s of c.nodes(n, "addressStatement")) {
    const a = c.val(s, "AddressValue");
    if (a) t.addresses.push(a);
  }
  for (const s of c.nodes(n, "mtuStatement")) {
    c.once(o, "mtu", c.num(c.tok(s, "Int")), spanOf(c, s), "mtu");
  }
  for (const s of c.nodes(n, "portStatement")) {
    c.once(o, "port", c.num(c.tok(s, "Int")), spanOf(c, s), "port");
  }
  for (const s of c.nodes(n, "downStatement")) c.once(o, "down", true, spanOf(c, s), "down");
  c.leftovers(n, "tap", name.text);
  return t;
}

function grab(c: Conv, n: CstNode): A.GrabDecl | undefined {
  const kw = c.tok(n, "Kw_grab");
  const name = c.val(n, "NameValue");
  if (!kw || !name) return undefined;
  const g: A.GrabDecl = {
    kind: "grab",
    at: c.span(kw),
    recovered: c.recovered(n),
    name,
    port: undefined,
  };
  const o = g as unknown as Record<string, unknown>;
  for (const s of c.nodes(n, "portStatement")) {
    c.once(o, "port", c.num(c.tok(s, "Int")), spanOf(c, s), "port");
  }
  c.leftovers(n, "grab", name.text);
  return g;
}

function uplink(c: Conv, n: CstNode): A.UplinkDecl | undefined {
  const kw = c.tok(n, "Kw_uplink");
  if (!kw) return undefined;
  const u: A.UplinkDecl = { kind: "uplink", at: c.span(kw), recovered: c.recovered(n) };
  const o = u as unknown as Record<string, unknown>;
  for (const s of c.nodes(n, "vniStatement")) {
    c.once(o, "vni", c.num(c.tok(s, "Int")), spanOf(c, s), "vni");
  }
  for (const s of c.nodes(n, "groupStatement")) {
    c.once(o, "group", c.val(s, "AddressValue"), spanOf(c, s), "group");
  }
  for (const s of c.nodes(n, "remoteStatement")) {
    const addrs = c.toks(s, "AddressValue").map((t) => c.textOf(t));
    const at = spanOf(c, s);
    if (!at) continue;
    if (u.remote) u.remote.value.push(...addrs);
    else u.remote = { value: addrs, at };
  }
  for (const s of c.nodes(n, "devStatement")) {
    c.once(o, "dev", c.val(s, "NameValue"), spanOf(c, s), "dev");
  }
  for (const s of c.nodes(n, "portStatement")) {
    c.once(o, "port", c.num(c.tok(s, "Int")), spanOf(c, s), "port");
  }
  for (const s of c.nodes(n, "ttlStatement")) {
    c.once(o, "ttl", c.num(c.tok(s, "Int")), spanOf(c, s), "ttl");
  }
  for (const s of c.nodes(n, "ifnameStatement")) {
    c.once(o, "name", c.val(s, "NameValue"), spanOf(c, s), "name");
  }
  c.leftovers(n, "uplink");
  return u;
}

function rewrite(c: Conv, n: CstNode): A.RewriteDecl | undefined {
  const kw = c.tok(n, "Kw_rewrite");
  const name = c.val(n, "NameValue");
  if (!kw || !name) return undefined;
  const r: A.RewriteDecl = {
    kind: "rewrite",
    at: c.span(kw),
    recovered: c.recovered(n),
    name,
  };
  const o = r as unknown as Record<string, unknown>;
  for (const s of c.nodes(n, "fromStatement")) {
    c.once(o, "from", c.val(s, "NameValue"), spanOf(c, s), "from");
  }
  for (const s of c.nodes(n, "matchStatement")) {
    const k = c.tok(s, "Kw_match");
    const group = c.val(s, "AddressValue");
    if (!k || !group) continue;
    const m: A.MatchAst = { at: c.span(k), group, ports: c.portList(c.node(s, "portList")) };
    if (r.match) {
      c.diags.push(
        error(m.at, "duplicate-setting", "match is set more than once", {
          hint: "declare one rewrite per match",
          related: [related(r.match.at, "first set here")],
        }),
      );
    } else r.match = m;
  }
  for (const s of c.nodes(n, "toStatement")) {
    const k = c.tok(s, "Kw_to");
    const iface = c.val(s, "NameValue");
    if (!k || !iface) continue;
    const t: A.ToAst = { at: c.span(k), iface, address: c.val(s, "AddressValue") };
    if (r.to) {
      c.diags.push(
        error(t.at, "duplicate-setting", "to is set more than once", {
          hint: "declare one rewrite per destination",
          related: [related(r.to.at, "first set here")],
        }),
      );
    } else r.to = t;
  }
  c.leftovers(n, "rewrite", name.text);
  return r;
}

function bind(c: Conv, n: CstNode): A.BindDecl | undefined {
  const kw = c.tok(n, "Kw_bind");
  const name = c.val(n, "NameValue");
  if (!kw || !name) return undefined;
  const b: A.BindDecl = {
    kind: "bind",
    at: c.span(kw),
    recovered: c.recovered(n),
    name,
    excepts: [],
  };
  const o = b as unknown as Record<string, unknown>;
  for (const s of c.nodes(n, "whenStatement")) {
    const at = spanOf(c, s);
    const env = c.tok(s, "Name");
    if (c.tok(s, "Kw_env") && env) c.once(o, "env", c.word(env), at, "when env");
    if (c.tok(s, "Kw_device")) c.once(o, "device", c.val(s, "NameValue"), at, "when device");
  }
  for (const s of c.nodes(n, "exceptStatement")) {
    const k = c.tok(s, "Kw_except");
    if (!k) continue;
    const at = c.span(k);
    if (c.tok(s, "Kw_loopback")) b.excepts.push({ kind: "loopback", at });
    else if (c.tok(s, "Kw_unix")) b.excepts.push({ kind: "unix", at });
    else if (c.tok(s, "Kw_address")) {
      const cidr = c.val(s, "AddressValue");
      if (cidr) b.excepts.push({ kind: "address", at, cidr });
    } else if (c.tok(s, "Kw_port")) {
      const proto = c.tok(s, "Kw_tcp") ? "tcp" : c.tok(s, "Kw_udp") ? "udp" : "any";
      b.excepts.push({ kind: "port", at, proto, ports: c.portList(c.node(s, "portList")) });
    }
  }
  c.leftovers(n, "bind", name.text);
  return b;
}

function endpoint(c: Conv, n: CstNode): A.EndpointDecl | undefined {
  const kw = c.tok(n, "Kw_endpoint");
  const name = c.val(n, "NameValue");
  if (!kw || !name) return undefined;
  const e: A.EndpointDecl = {
    kind: "endpoint",
    at: c.span(kw),
    recovered: c.recovered(n),
    name,
    addresses: [],
  };
  const all: { offset: number; a: A.EndpointAddrAst }[] = [];
  for (const fam of ["inet", "inet6"] as const) {
    for (const s of c.nodes(n, `${fam}Statement`)) {
      const k = c.tok(s, kwKey(fam));
      const address = c.val(s, "AddressValue");
      const port = c.num(c.tok(s, "Int"));
      if (k && address && port) {
        all.push({ offset: k.startOffset, a: { family: fam, at: c.span(k), address, port } });
      }
    }
  }
  for (const s of c.nodes(n, "ipnStatement")) {
    const k = c.tok(s, "Kw_ipn");
    if (!k) continue;
    const at = c.span(k);
    const path = c.tok(s, "String");
    if (c.tok(s, "Kw_network")) {
      const net = c.val(s, "NameValue");
      if (net) all.push({ offset: k.startOffset, a: { family: "ipn", at, network: net } });
    } else if (path) {
      all.push({ offset: k.startOffset, a: { family: "ipn", at, path: c.str(path) } });
    }
  }
  // The order written is the order the library tries them.
  e.addresses = all.sort((x, y) => x.offset - y.offset).map((x) => x.a);
  c.leftovers(n, "endpoint", name.text);
  return e;
}

function declaration(c: Conv, n: CstNode): A.Decl | undefined {
  const net = c.node(n, "networkBlock");
  if (net) return network(c, net);
  const rw = c.node(n, "rewriteBlock");
  if (rw) return rewrite(c, rw);
  const b = c.node(n, "bindBlock");
  if (b) return bind(c, b);
  const e = c.node(n, "endpointBlock");
  if (e) return endpoint(c, e);
  return undefined;
}

/** Order children of a block by where they start in the source. */
function inOrder(c: Conv, n: CstNode, keys: string[]): { key: string; node: CstNode }[] {
  const out: { key: string; node: CstNode; offset: number }[] = [];
  for (const key of keys) {
    for (const node of c.nodes(n, key)) {
      out.push({ key, node, offset: firstOffset(c, node) });
    }
  }
  return out.sort((a, b) => a.offset - b.offset);
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

/** Offset of a statement's first token (its keyword; `declaration` wraps one). */
function firstOffset(c: Conv, n: CstNode): number {
  if (n.name === "declaration") {
    for (const key of FIRST_TOKENS.declaration) {
      const child = n.children[key]?.[0];
      if (child !== undefined) return firstOffset(c, child as CstNode);
    }
    return Infinity;
  }
  return c.kw(n)?.startOffset ?? Infinity;
}

function host(c: Conv, n: CstNode): A.HostBlock | undefined {
  const kw = c.tok(n, "Kw_host");
  const name = c.val(n, "NameValue");
  if (!kw || !name) return undefined;
  const decls = inOrder(c, n, ["declaration"]).map((x) => declaration(c, x.node))
    .filter((d) => d !== undefined);
  c.leftovers(n, "host", name.text);
  return { kind: "host", at: c.span(kw), name, decls };
}

/**
 * Convert a parsed file. `errorAt` holds the offsets of tokens that already
 * have a parse error, so the same token is not reported twice.
 */
export function cstToAst(
  cst: CstNode,
  file: string,
  diags: Diagnostic[],
  errorAt: Set<number> = new Set(),
): A.FileAst {
  const c = new Conv(file, diags, errorAt);
  const statements: A.TopStatement[] = [];
  const keys = ["letStatement", "backendStatement", "includeStatement", "hostBlock", "declaration"];
  for (const { key, node } of inOrder(c, cst, keys)) {
    c.index = statements.length;
    let s: A.TopStatement | undefined;
    if (key === "declaration") s = declaration(c, node);
    else if (key === "hostBlock") s = host(c, node);
    else if (key === "letStatement") {
      const k = c.tok(node, "Kw_let");
      const name = c.tok(node, "Name");
      const value = c.val(node, "LetValue");
      if (k && name && value) s = { kind: "let", at: c.span(k), name: c.word(name), value };
    } else if (key === "backendStatement") {
      const k = c.tok(node, "Kw_backend");
      const v = c.oneOf(node, BACKENDS);
      if (k && v) s = { kind: "backend", at: c.span(k), value: v };
    } else if (key === "includeStatement") {
      const k = c.tok(node, "Kw_include");
      const p = c.tok(node, "String");
      if (k && p) s = { kind: "include", at: c.span(k), pattern: c.str(p) };
    }
    if (s) statements.push(s);
  }
  c.leftovers(cst, "top");
  return { file, statements, interpolated: c.interpolated };
}
