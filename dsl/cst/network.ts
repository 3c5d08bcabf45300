/**
 * CST -> AST for a network and what it holds: policy (hub, switch,
 * concast), access, taps, grabs and uplinks.
 *
 * @module
 */
import type { CstNode, IToken } from "../chevrotain.ts";
import type * as A from "../ast.ts";
import { error, related } from "../diagnostics.ts";
import { Duration, Int } from "../lexer.ts";
import { Conv, kwKey, MERGE_FNS, spanOf } from "./conv.ts";

/** A network's numeric settings: statement rule and AST key. */
const NUMBERS = [["portsStatement", "ports"], ["mtuStatement", "mtu"], [
  "queueStatement",
  "queue",
]] as const;

export function network(c: Conv, n: CstNode): A.NetworkDecl | undefined {
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
  for (let i = 0; i < NUMBERS.length; i++) {
    const [rule, key] = NUMBERS[i];
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
