/**
 * Names across the whole plan: valid names, no two resources of a kind
 * with one name, no two networks on one path, no two interfaces (tap, grab,
 * uplink) with one name.
 *
 * @module
 */
import type { Decl, NetworkDecl } from "../ast.ts";
import { type Diagnostic, error, related, type Span } from "../diagnostics.ts";
import { uplinkIfName } from "../defaults.ts";
import { normalPath } from "./paths.ts";
import { checkIfName, checkName } from "./values.ts";

/** The first declaration of a key; `what` describes it (built only for messages). */
interface Seen {
  at: Span;
  what: () => string;
}

function dup(
  d: Diagnostic[],
  seen: Map<string, Seen>,
  key: string,
  at: Span,
  what: () => string,
  code: string,
  message: (prev: Seen) => string,
  hint: string,
): void {
  const prev = seen.get(key);
  if (prev) {
    d.push(
      error(at, code, message(prev), {
        hint,
        related: [related(prev.at, `${prev.what()} declared here`)],
      }),
    );
  } else seen.set(key, { at, what });
}

const IFACE_HINT = "interface names are shared by taps, grabs and uplinks; use another name";

function iface(
  d: Diagnostic[],
  ifaces: Map<string, Seen>,
  name: string,
  at: Span,
  what: () => string,
) {
  dup(
    d,
    ifaces,
    name,
    at,
    what,
    "duplicate-interface",
    (prev) => `interface '${name}' is already declared by ${prev.what()}`,
    IFACE_HINT,
  );
}

function networkNames(
  n: NetworkDecl,
  d: Diagnostic[],
  paths: Map<string, Seen>,
  ifaces: Map<string, Seen>,
) {
  if (n.path) {
    const p = normalPath(n.path.value.text);
    if (p.startsWith("/")) {
      dup(
        d,
        paths,
        p,
        n.path.value.span,
        () => `network '${n.name.text}'`,
        "duplicate-path",
        (prev) => `path '${p}' is already used by ${prev.what()}`,
        "each network needs its own path",
      );
    }
  }
  for (const t of n.taps) {
    if (checkIfName(d, t.name, "tap name")) {
      iface(d, ifaces, t.name.text, t.name.span, () => `tap '${t.name.text}'`);
    }
  }
  for (const g of n.grabs) {
    if (checkIfName(d, g.name, "grab")) {
      iface(d, ifaces, g.name.text, g.name.span, () => `grab '${g.name.text}'`);
    }
  }
  for (const u of n.uplinks) {
    if (u.name) {
      const v = u.name.value;
      if (checkIfName(d, v, "uplink name")) {
        iface(d, ifaces, v.text, v.span, () => `uplink '${v.text}'`);
      }
    } else if (u.vni && u.vni.value.value >= 0 && u.vni.value.value <= 16777215) {
      const name = uplinkIfName(u.vni.value.value);
      iface(
        d,
        ifaces,
        name,
        u.at,
        () => `the uplink of network '${n.name.text}' (named '${name}' after its vni)`,
      );
    }
  }
}

/** Check names and uniqueness over the declarations that apply. */
export function checkNames(decls: Decl[], d: Diagnostic[]): void {
  const byKind = new Map<string, Map<string, Seen>>();
  const paths = new Map<string, Seen>();
  const ifaces = new Map<string, Seen>();
  for (const decl of decls) {
    checkName(d, decl.name, decl.kind);
    let names = byKind.get(decl.kind);
    if (!names) byKind.set(decl.kind, names = new Map());
    dup(
      d,
      names,
      decl.name.text,
      decl.name.span,
      () => `${decl.kind} '${decl.name.text}'`,
      "duplicate-name",
      () => `${decl.kind} '${decl.name.text}' is declared more than once`,
      `give each ${decl.kind} its own name`,
    );
    if (decl.kind === "network") networkNames(decl, d, paths, ifaces);
  }
}
