/**
 * Checks of single values: numbers in range, port lists, names, interface
 * names, addresses. Each reports at the value's own span and returns whether
 * the value is good, so callers can skip checks that depend on it.
 *
 * @module
 */
import type { Num, PortRange, Text } from "../ast.ts";
import { type Diagnostic, error } from "../diagnostics.ts";
import { type Cidr, formatCidr, hostBitsSet, isMulticast, network, parseCidr } from "../ip.ts";

/** Bytes of a string in UTF-8 (interface and socket limits count bytes). */
export function byteLength(s: string): number {
  let n = s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) continue;
    if (c < 0x800) n += 1;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      // A surrogate pair: 4 bytes for 2 code units.
      n += 2;
      i++;
    } else n += 2;
  }
  return n;
}

/** A hint, or a function building it (most checks pass, so most hints are never built). */
export type Hint = string | (() => string) | undefined;

function hintText(h: Hint): string | undefined {
  return typeof h === "function" ? h() : h;
}

/** `what N is outside MIN..MAX`. */
export function inRange(
  d: Diagnostic[],
  n: Num | undefined,
  min: number,
  max: number,
  what: string,
  hint?: Hint,
  code = "out-of-range",
): boolean {
  if (!n) return true;
  if (n.value >= min && n.value <= max) return true;
  d.push(
    error(n.span, code, `${what} ${n.text} is outside ${min}..${max}`, {
      hint: hintText(hint),
    }),
  );
  return false;
}

/** Port lists and VLAN lists: each item in min..max and not reversed. */
export function rangesIn(
  d: Diagnostic[],
  list: PortRange[],
  min: number,
  max: number,
  what: string,
  code = "invalid-port",
  hint?: Hint,
): boolean {
  let ok = true;
  for (const r of list) {
    if (r.from > r.to) {
      d.push(
        error(r.span, "reversed-range", `range ${r.from}-${r.to} is reversed`, {
          hint: `write ${r.to}-${r.from}`,
        }),
      );
      ok = false;
      continue;
    }
    const bad = r.from < min ? r.from : r.to > max ? r.to : undefined;
    if (bad !== undefined) {
      d.push(
        error(r.span, code, `${what} ${bad} is outside ${min}..${max}`, { hint: hintText(hint) }),
      );
      ok = false;
    }
  }
  return ok;
}

/** Where two lists of ranges share a value, the first shared value. */
export function overlap(a: PortRange[], b: PortRange[]): number | undefined {
  for (const x of a) {
    for (const y of b) {
      const lo = Math.max(x.from, y.from);
      if (lo <= Math.min(x.to, y.to)) return lo;
    }
  }
  return undefined;
}

const NAME = /^[A-Za-z0-9_][A-Za-z0-9_.\-]*$/;

/** Names of networks, rewrites, binds, endpoints, hosts: at most 63 bytes. */
export function checkName(d: Diagnostic[], t: Text, what: string): boolean {
  if (t.bad) return false;
  if (!NAME.test(t.text)) {
    d.push(
      error(t.span, "invalid-name", `${what} name '${t.text}' is not valid`, {
        hint: "names use letters, digits, '_', '-' and '.', and do not start with '-' or '.'",
      }),
    );
    return false;
  }
  if (byteLength(t.text) > 63) {
    d.push(
      error(
        t.span,
        "name-too-long",
        `${what} name '${t.text}' is ${byteLength(t.text)} bytes; the limit is 63`,
      ),
    );
    return false;
  }
  return true;
}

/** Linux interface names: 1 to 15 bytes, no '/', ':' or whitespace, not '.' or '..'. */
export function checkIfName(d: Diagnostic[], t: Text, what: string): boolean {
  if (t.bad) return false;
  const n = byteLength(t.text);
  if (n > 15) {
    d.push(
      error(
        t.span,
        "ifname-too-long",
        `${what} '${t.text}' is ${n} bytes; Linux interface names are at most 15`,
        { hint: `shorten it, e.g. '${shorten(t.text)}'` },
      ),
    );
    return false;
  }
  if (n === 0 || /[\s/:]/.test(t.text) || t.text === "." || t.text === "..") {
    d.push(
      error(t.span, "invalid-ifname", `${what} '${t.text}' is not a valid interface name`, {
        hint: "interface names have 1 to 15 bytes and no '/', ':' or spaces",
      }),
    );
    return false;
  }
  return true;
}

function shorten(s: string): string {
  let out = s;
  while (byteLength(out) > 15) out = out.slice(0, -1);
  return out;
}

/** What kind of address a place accepts. */
export interface AddressRule {
  family?: 4 | 6;
  /** "required": an interface address; "optional": a range; "none": one address. */
  prefix: "required" | "optional" | "none";
  multicast?: "required" | "forbidden";
  /** Refuse bits set beyond the prefix (for ranges). */
  noHostBits?: boolean;
}

/** Parse and check an address; report at its span; return the value when good. */
export function checkAddress(
  d: Diagnostic[],
  t: Text,
  what: string,
  rule: AddressRule,
): Cidr | undefined {
  if (t.bad) return undefined;
  const c = parseCidr(t.text);
  if (typeof c === "string") {
    d.push(error(t.span, "invalid-address", `${what}: ${c}`));
    return undefined;
  }
  if (rule.family && c.family !== rule.family) {
    d.push(
      error(
        t.span,
        "address-family",
        `${what} must be an IPv${rule.family} address, not IPv${c.family}`,
      ),
    );
    return undefined;
  }
  if (rule.prefix === "required" && c.prefix === undefined) {
    d.push(
      error(t.span, "invalid-cidr", `${what} '${t.text}' needs a prefix length`, {
        hint: `e.g. ${t.text}/${c.family === 4 ? 24 : 64}`,
      }),
    );
    return undefined;
  }
  if (rule.prefix === "none" && c.prefix !== undefined) {
    d.push(
      error(t.span, "invalid-address", `${what} is one address; remove '/${c.prefix}'`),
    );
    return undefined;
  }
  if (rule.multicast === "required" && !isMulticast(c)) {
    d.push(
      error(t.span, "not-multicast", `${what} ${t.text} is not a multicast address`, {
        hint: c.family === 4 ? "IPv4 multicast is 224.0.0.0/4" : "IPv6 multicast is ff00::/8",
      }),
    );
    return undefined;
  }
  if (
    rule.multicast === "required" && c.prefix !== undefined && c.prefix < (c.family === 4 ? 4 : 8)
  ) {
    d.push(
      error(t.span, "not-multicast", `${what} ${t.text} reaches beyond multicast addresses`, {
        hint: c.family === 4 ? "IPv4 multicast is 224.0.0.0/4" : "IPv6 multicast is ff00::/8",
      }),
    );
    return undefined;
  }
  if (rule.multicast === "forbidden" && isMulticast(c)) {
    d.push(error(t.span, "multicast-address", `${what} ${t.text} is a multicast address`));
    return undefined;
  }
  if (rule.noHostBits && hostBitsSet(c)) {
    d.push(
      error(t.span, "host-bits-set", `${what} ${t.text} has bits set beyond its prefix`, {
        hint: `did you mean ${formatCidr(network(c))}?`,
      }),
    );
    return undefined;
  }
  return c;
}
