/**
 * AST -> Plan: pick the declarations for one host, check them, fill in
 * defaults, canonicalise values, sort, and validate against the schema.
 *
 * @module
 */
import type * as A from "./ast.ts";
import { runChecks } from "./checks/mod.ts";
import { normalPath } from "./checks/paths.ts";
import { checkName } from "./checks/values.ts";
import { type Diagnostic, error, fileStart, hasErrors, type Span, warning } from "./diagnostics.ts";
import { DEFAULTS, uplinkIfName } from "./defaults.ts";
import { formatCidr, formatIp, parseCidr } from "./ip.ts";
import type { Loaded } from "./loader.ts";
import { checkPlan } from "./plan_check.ts";
import { didYouMean } from "./suggest.ts";
import * as S from "./schema.ts";

/** Options of {@link buildPlan}. */
export interface BuildOptions {
  /** The host to plan for: statements in other hosts' blocks are left out. */
  host?: string;
  /** Overrides the file's `backend`. */
  backendOverride?: S.Plan["backend"];
  /** The root file (to locate file-wide warnings). */
  root: string;
}

function src(s: { file: string; start: { line: number; col: number } }): string {
  // A token's span makes its start when asked: ask once.
  const start = s.start;
  return `${s.file}:${start.line}:${start.col}`;
}

function canonical(t: A.Text, defaultPrefix = false): string {
  const c = parseCidr(t.text);
  if (typeof c === "string") return t.text;
  if (defaultPrefix && c.prefix === undefined) c.prefix = c.family === 4 ? 32 : 128;
  return formatCidr(c);
}

function ip(t: A.Text): string {
  const c = parseCidr(t.text);
  return typeof c === "string" ? t.text : formatIp(c);
}

function ranges(list: A.PortRange[]): S.Range[] {
  return list.map((r) => ({ from: r.from, to: r.to }));
}

function principal(p: A.Principal | undefined, dflt: string): string | number {
  if (!p) return dflt;
  return p.numeric ? p.numeric.value : p.text.text;
}

function field(f: A.FieldAst): S.Field {
  return { type: f.type, offset: f.offset.value, order: f.order };
}

function policy(p: A.PolicyAst | undefined): S.Policy {
  if (!p || p.kind === "hub") return { kind: "hub" };
  if (p.kind === "switch") {
    return {
      kind: "switch",
      vlans: p.vlans.map((v) => ({ vlan: v.vlan.value, ports: ranges(v.ports) })),
      trunks: p.trunks.map((t) => ({ ports: ranges(t.ports), vlans: ranges(t.vlans) })),
      ageing: p.ageing?.value.value ?? DEFAULTS.ageing,
    };
  }
  const out: S.Policy = {
    kind: "concast",
    key: field(p.key!.value),
    merge: { fn: p.merge!.fn },
    done: {},
    output: p.output?.value ?? DEFAULTS.output,
  };
  if (p.merge!.field) out.merge.field = field(p.merge!.field);
  if (p.done!.count) out.done.count = p.done!.count.value;
  if (p.done!.timeout) out.done.timeoutMs = p.done!.timeout.ms;
  if (p.receiver) out.receiver = p.receiver.value.value;
  return out;
}

function networkResources(n: A.NetworkDecl, out: S.Resource[]): void {
  const net: S.Network = {
    kind: "network",
    name: n.name.text,
    source: src(n.at),
    path: normalPath(n.path!.value.text),
    policy: policy(n.policy),
    ports: n.ports?.value.value ?? DEFAULTS.ports,
    mtu: n.mtu?.value.value ?? DEFAULTS.mtu,
    queue: n.queue?.value.value ?? DEFAULTS.queue,
    delivery: n.delivery?.value ?? DEFAULTS.delivery,
    // Declared networks are always kept while declared; `persistent` only says so.
    persistent: DEFAULTS.persistent,
    access: {
      owner: principal(n.access?.owner?.value, DEFAULTS.owner),
      group: principal(n.access?.group?.value, DEFAULTS.group),
      mode: n.access?.mode ? parseInt(n.access.mode.value.text, 8) : DEFAULTS.mode,
    },
  };
  if (n.description) net.description = n.description.value.text;
  out.push(net);
  for (const t of n.taps) {
    // Keys in the schema's order, optional ones only when set (see plan_check.ts).
    const tap = { kind: "tap", name: t.name.text, source: src(t.at), network: net.name } as S.Tap;
    if (t.port) tap.port = t.port.value.value;
    tap.addresses = t.addresses.map((a) => canonical(a));
    if (t.mtu) tap.mtu = t.mtu.value.value;
    tap.up = t.down === undefined;
    out.push(tap);
  }
  for (const g of n.grabs) {
    const grab: S.Grab = { kind: "grab", name: g.name.text, source: src(g.at), network: net.name };
    if (g.port) grab.port = g.port.value.value;
    out.push(grab);
  }
  for (const u of n.uplinks) {
    const vni = u.vni!.value.value;
    const up = {
      kind: "uplink",
      name: u.name?.value.text ?? uplinkIfName(vni),
      source: src(u.at),
      network: net.name,
      type: "vxlan",
      vni,
    } as S.Uplink;
    if (u.group) up.group = ip(u.group.value);
    up.remote = (u.remote?.value ?? []).map(ip);
    if (u.dev) up.dev = u.dev.value.text;
    up.port = u.port?.value.value ?? DEFAULTS.vxlanPort;
    if (u.ttl) up.ttl = u.ttl.value.value;
    out.push(up);
  }
}

function rewriteResource(r: A.RewriteDecl): S.Rewrite {
  const out: S.Rewrite = {
    kind: "rewrite",
    name: r.name.text,
    source: src(r.at),
    from: r.from!.value.text,
    match: { proto: "udp", group: canonical(r.match!.group, true), ports: ranges(r.match!.ports) },
    to: r.to!.iface.text,
  };
  if (r.to!.address) out.address = ip(r.to!.address);
  return out;
}

function bindResource(b: A.BindDecl): S.Bind {
  const out = { kind: "bind", name: b.name.text, source: src(b.at) } as S.Bind;
  if (b.env) out.env = b.env.value.text;
  if (b.device) out.device = b.device.value.text;
  out.except = b.excepts.map((e): S.BindException => {
    switch (e.kind) {
      case "port":
        return { kind: "port", proto: e.proto, ports: ranges(e.ports) };
      case "address":
        return { kind: "address", cidr: canonical(e.cidr, true) };
      default:
        return { kind: e.kind };
    }
  });
  return out;
}

function endpointResource(e: A.EndpointDecl, paths: Map<string, string>): S.Endpoint {
  return {
    kind: "endpoint",
    name: e.name.text,
    source: src(e.at),
    addresses: e.addresses.map((a): S.EndpointAddress => {
      if (a.family === "ipn") {
        const path = a.network ? paths.get(a.network.text)! : normalPath(a.path!.text);
        return { family: "ipn", path };
      }
      return { family: a.family, address: ip(a.address), port: a.port.value };
    }),
  };
}

/** The declarations that apply to `host`. */
export function selectDecls(loaded: Loaded, host: string | undefined): A.Decl[] {
  return loaded.decls.filter((p) => !p.host || p.host.text === host).map((p) => p.decl);
}

/**
 * Check the loaded declarations for a host and build the Plan. Returns no
 * plan when any error is found (in loading or here).
 */
export function buildPlan(
  loaded: Loaded,
  opts: BuildOptions,
): { plan?: S.Plan; diagnostics: Diagnostic[] } {
  const d: Diagnostic[] = [];
  const hostNames = [...loaded.hosts.keys()];
  if (opts.host !== undefined && hostNames.length > 0 && !loaded.hosts.has(opts.host)) {
    d.push(
      warning(
        fileStart(opts.root),
        "unknown-host",
        `no host block is named '${opts.host}'; only statements outside host blocks apply`,
        {
          hint: didYouMean(opts.host, hostNames) ?? `hosts: ${hostNames.sort().join(", ")}`,
        },
      ),
    );
  }
  for (const [name, at] of loaded.hosts) {
    checkName(d, { text: name, span: at, quoted: false }, "host");
  }
  const decls = selectDecls(loaded, opts.host);
  runChecks(decls, d);
  if (hasErrors(loaded.diagnostics) || hasErrors(d)) return { diagnostics: d };

  const resources: S.Resource[] = [];
  const paths = new Map<string, string>();
  for (const x of decls) {
    if (x.kind === "network") paths.set(x.name.text, normalPath(x.path!.value.text));
  }
  for (const x of decls) {
    if (x.kind === "network") networkResources(x, resources);
    else if (x.kind === "rewrite") resources.push(rewriteResource(x));
    else if (x.kind === "bind") resources.push(bindResource(x));
    else resources.push(endpointResource(x, paths));
  }
  resources.sort(S.compareResources);
  const version = S.PLAN_VERSION;
  const backend = opts.backendOverride ?? loaded.backend?.value ?? DEFAULTS.backend;
  const plan: S.Plan = hostNames.length > 0 && opts.host !== undefined
    ? { version, backend, host: opts.host, resources }
    : { version, backend, resources };
  // The plan is checked in place against the schema; only what that refuses
  // goes through zod, which then decides and words the problem.
  if (checkPlan(plan) === undefined) return { plan, diagnostics: d };
  const checked = S.Plan.safeParse(plan);
  if (!checked.success) {
    const issue = checked.error.issues[0];
    const idx = typeof issue.path[1] === "number" ? issue.path[1] : -1;
    // Point at the declaration the resource came from (found only on this rare path).
    const bad = idx >= 0 ? resources[idx] : undefined;
    const decl = bad && decls.find((x) => src(x.at) === bad.source);
    const at: Span = decl?.at ?? fileStart(opts.root);
    d.push(
      error(
        at,
        "internal-error",
        `internal error: the plan breaks its schema at ${issue.path.join(".")}: ${issue.message}`,
        {
          hint: "this is a bug in ipn; please report it with the file",
        },
      ),
    );
    return { diagnostics: d };
  }
  return { plan: checked.data, diagnostics: d };
}
