/**
 * Rewrites (seed 001) as one nftables table: validation and rendering.
 *
 * Every rewrite becomes a rule in a `netdev` ingress chain of its `from`
 * interface, so the rewrite happens where the seed's driver did it: before
 * the IP stack sees the packet, without connection tracking. The rule sets
 * the Ethernet destination to `to`'s MAC, the IPv4 destination to `to`'s
 * address (nft fixes the IP checksum and the UDP checksum's pseudo-header)
 * and the packet type to host; the stack then delivers it as unicast to a
 * socket bound on that address.
 *
 * Rendering is pure and deterministic, and its text is exactly what
 * `nft list table netdev ipn_rewrite` prints back (counters aside), so drift
 * is a text comparison.
 *
 * @module
 */
import type { Rewrite } from "../../dsl/schema.ts";
import type { IfFacts } from "./ffi.ts";

/** The one table ipn owns for rewrites. */
export const REWRITE_FAMILY = "netdev";
export const REWRITE_TABLE = "ipn_rewrite";
/** The table's comment: how ipn recognises its own table. */
export const OWNER_COMMENT = "managed by ipn";

/** Interface facts by name; undefined when the interface does not exist. */
export type IfProbe = (name: string) => IfFacts | undefined;

/** Parse dotted IPv4 into a 32-bit number, or undefined. */
export function parseIPv4(s: string): number | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(s);
  if (!m) return undefined;
  const o = m.slice(1).map(Number);
  if (o.some((x) => x > 255)) return undefined;
  return ((o[0] << 24) | (o[1] << 16) | (o[2] << 8) | o[3]) >>> 0;
}

function formatIPv4(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join(".");
}

interface Group {
  net: number;
  len: number;
}

function parseGroup(s: string): Group | undefined {
  const [a, l, extra] = s.split("/");
  if (extra !== undefined) return undefined;
  const ip = parseIPv4(a);
  const len = l === undefined ? 32 : /^\d{1,2}$/.test(l) ? Number(l) : NaN;
  if (ip === undefined || !(len >= 0 && len <= 32)) return undefined;
  const mask = len === 0 ? 0 : (0xffffffff << (32 - len)) >>> 0;
  return { net: (ip & mask) >>> 0, len };
}

function groupText(g: Group): string {
  return g.len === 32 ? formatIPv4(g.net) : `${formatIPv4(g.net)}/${g.len}`;
}

/** Two prefixes overlap exactly when one contains the other. */
function groupsOverlap(a: Group, b: Group): boolean {
  const len = Math.min(a.len, b.len);
  const mask = len === 0 ? 0 : (0xffffffff << (32 - len)) >>> 0;
  return ((a.net & mask) >>> 0) === ((b.net & mask) >>> 0);
}

type Ports = { from: number; to: number }[];

/** Sorted, with overlapping and adjacent ranges merged (as nft stores a set). */
function normalisePorts(ports: Ports): Ports {
  const s = [...ports].sort((a, b) => a.from - b.from || a.to - b.to);
  const out: Ports = [];
  for (const r of s) {
    const last = out[out.length - 1];
    if (last && r.from <= last.to + 1) last.to = Math.max(last.to, r.to);
    else out.push({ ...r });
  }
  return out;
}

function portsText(ports: Ports): string {
  const item = (r: { from: number; to: number }) =>
    r.from === r.to ? `${r.from}` : `${r.from}-${r.to}`;
  return ports.length === 1 ? item(ports[0]) : `{ ${ports.map(item).join(", ")} }`;
}

function portsOverlap(a: Ports, b: Ports): { from: number; to: number } | undefined {
  for (const x of a) {
    for (const y of b) {
      const from = Math.max(x.from, y.from), to = Math.min(x.to, y.to);
      if (from <= to) return { from, to };
    }
  }
  return undefined;
}

/** One rewrite, checked and resolved against the live interfaces. */
export interface ResolvedRewrite {
  name: string;
  from: string;
  group: string;
  ports: Ports;
  /** Destination IPv4 address. */
  address: string;
  /** Destination MAC; absent when either side has no Ethernet header. */
  mac?: string;
}

/** The desired table, or every reason it cannot be built. */
export interface RewriteRender {
  errors: string[];
  rewrites: ResolvedRewrite[];
  /** The table as nft lists it; "" when no rewrite is declared. */
  ruleset: string;
}

// nft quotes names in "..." with no escapes; comments are at most 128 bytes.
const NFT_UNSAFE = /["\\\n]/;

function where(r: Rewrite): string {
  return r.source ? `${r.source}: ` : "";
}

/** Check each rewrite and resolve its interfaces; errors name the rewrite. */
function resolve(r: Rewrite, probe: IfProbe, errors: string[]): ResolvedRewrite | undefined {
  const bad = (msg: string) => errors.push(`${where(r)}rewrite ${r.name}: ${msg}`);
  const before = errors.length;
  if (NFT_UNSAFE.test(r.name) || new TextEncoder().encode(`rewrite ${r.name}`).length > 128) {
    bad("the name must be at most 120 bytes without quotes, backslashes or newlines");
  }
  for (const f of [r.from, r.to]) {
    if (NFT_UNSAFE.test(f)) bad(`interface name '${f}' cannot be used in nftables`);
  }
  const g = parseGroup(r.match.group);
  if (!g) bad(`'${r.match.group}' is not an IPv4 address or prefix (IPv6 is not supported)`);
  else if (g.len < 4 || (g.net >>> 28) !== 0xe) {
    bad(`${r.match.group} is not a multicast range (within 224.0.0.0/4)`);
  }
  if (r.match.ports.length === 0) bad("no ports to match");
  for (const p of r.match.ports) {
    if (!(p.from >= 1 && p.to <= 65535 && p.from <= p.to)) {
      bad(`port range ${p.from}-${p.to} is not within 1-65535`);
    }
  }
  const from = probe(r.from);
  if (!from) bad(`interface ${r.from} (from) does not exist`);
  const to = probe(r.to);
  if (!to) bad(`interface ${r.to} (to) does not exist`);
  let address = r.address;
  if (address !== undefined) {
    const a = parseIPv4(address);
    if (a === undefined || (a >>> 28) === 0xe || a === 0 || a === 0xffffffff) {
      bad(`address '${address}' is not a unicast IPv4 address`);
    }
  } else if (to && !to.ipv4) {
    bad(`interface ${r.to} has no IPv4 address to deliver to (give 'address')`);
  } else {
    address = to?.ipv4;
  }
  if (errors.length > before || !from || !to || !g || !address) return undefined;
  return {
    name: r.name,
    from: r.from,
    group: groupText(g),
    ports: normalisePorts(r.match.ports),
    address,
    // Without an Ethernet header on `from` there is no MAC to rewrite (and nft
    // would guard the statement with an interface-type check that never matches).
    mac: from.ethernet && to.ethernet ? to.mac : undefined,
  };
}

/** Same `from`, nested groups and a common port: the packet would match both. */
function overlaps(list: ResolvedRewrite[], errors: string[]): void {
  const byFrom = new Map<string, { r: ResolvedRewrite; g: Group }[]>();
  for (const r of list) {
    const same = byFrom.get(r.from) ?? [];
    same.push({ r, g: parseGroup(r.group)! });
    byFrom.set(r.from, same);
  }
  for (const same of byFrom.values()) {
    for (let i = 0; i < same.length; i++) {
      for (let j = i + 1; j < same.length; j++) {
        const { r: a, g: ga } = same[i], { r: b, g: gb } = same[j];
        if (!groupsOverlap(ga, gb)) continue;
        const p = portsOverlap(a.ports, b.ports);
        if (!p) continue;
        const inner = ga.len >= gb.len ? a.group : b.group;
        const port = p.from === p.to ? `port ${p.from}` : `ports ${p.from}-${p.to}`;
        errors.push(
          `rewrites ${a.name} and ${b.name} overlap: both match udp to ${inner} ${port} ` +
            `arriving on ${a.from}`,
        );
      }
    }
  }
}

/** The chain of each `from` interface: `in_<name>`, made an nft identifier and unique. */
export function chainNames(froms: string[]): Map<string, string> {
  const out = new Map<string, string>();
  const used = new Set<string>();
  for (const f of [...new Set(froms)].sort()) {
    const base = `in_${f.replace(/[^A-Za-z0-9_]/g, "_")}`;
    let name = base;
    for (let n = 2; used.has(name); n++) name = `${base}_${n}`;
    used.add(name);
    out.set(f, name);
  }
  return out;
}

/** The rule of one rewrite, as nft lists it (with `counter` standing for its values). */
export function ruleText(r: ResolvedRewrite): string {
  const set = [
    r.mac ? `ether daddr set ${r.mac}` : "",
    `ip daddr set ${r.address}`,
    "meta pkttype set host",
  ].filter(Boolean).join(" ");
  // Fragments are left alone: only the first carries the UDP header, and
  // rewriting it alone would break reassembly.
  return `ip daddr ${r.group} ip frag-off & 16383 == 0 udp dport ${portsText(r.ports)} ` +
    `counter ${set} comment "rewrite ${r.name}"`;
}

/**
 * Check every rewrite (all errors at once) and render the desired table.
 * Nothing is rendered when there is any error.
 */
export function renderRewrites(rewrites: Rewrite[], probeOne: IfProbe): RewriteRender {
  // each interface is asked once per render: consistent facts, and fast
  const facts = new Map<string, IfFacts | undefined>();
  const probe: IfProbe = (n) => {
    if (!facts.has(n)) facts.set(n, probeOne(n));
    return facts.get(n);
  };
  const errors: string[] = [];
  const resolved: ResolvedRewrite[] = [];
  const sorted = [...rewrites].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const seen = new Set<string>();
  for (const r of sorted) {
    if (seen.has(r.name)) errors.push(`${where(r)}rewrite ${r.name} is declared twice`);
    seen.add(r.name);
    const ok = resolve(r, probe, errors);
    if (ok) resolved.push(ok);
  }
  overlaps(resolved, errors);
  if (errors.length) return { errors, rewrites: [], ruleset: "" };
  if (resolved.length === 0) return { errors, rewrites: [], ruleset: "" };

  const chains = chainNames(resolved.map((r) => r.from));
  const lines = [`table ${REWRITE_FAMILY} ${REWRITE_TABLE} {`, `\tcomment "${OWNER_COMMENT}"`];
  for (const [from, chain] of chains) {
    lines.push(
      `\tchain ${chain} {`,
      `\t\tcomment "from ${from}"`,
      `\t\ttype filter hook ingress device "${from}" priority filter; policy accept;`,
    );
    for (const r of resolved.filter((x) => x.from === from)) lines.push(`\t\t${ruleText(r)}`);
    lines.push("\t}");
  }
  lines.push("}");
  return { errors, rewrites: resolved, ruleset: lines.join("\n") + "\n" };
}

/**
 * The nft script that makes the live table exactly `ruleset` in one
 * transaction: create-if-missing, delete, add. An empty ruleset removes it.
 */
export function replaceScript(ruleset: string): string {
  const head = `table ${REWRITE_FAMILY} ${REWRITE_TABLE}\n` +
    `delete table ${REWRITE_FAMILY} ${REWRITE_TABLE}\n`;
  return head + ruleset;
}
