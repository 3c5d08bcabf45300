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
import type { CstNode } from "./chevrotain.ts";
import type * as A from "./ast.ts";
import { type Diagnostic, error, related } from "./diagnostics.ts";
import { BACKENDS, Conv, kwKey, spanOf } from "./cst/conv.ts";
import { network } from "./cst/network.ts";
import { FIRST_TOKENS } from "./parser.ts";

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
