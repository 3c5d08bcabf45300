/**
 * IPv4 and IPv6 addresses and prefixes: strict parsing and canonical text.
 *
 * IPv4 octets with leading zeros are refused (some tools read them as
 * octal). IPv6 text is canonical as RFC 5952 says: lower case, no leading
 * zeros, the longest run of zero groups (two or more) compressed.
 *
 * @module
 */

/** A parsed address: 4 or 16 bytes. */
export interface Ip {
  family: 4 | 6;
  bytes: number[];
}

/** A parsed `address[/prefix]`. */
export interface Cidr extends Ip {
  /** Prefix length; absent when none was written. */
  prefix?: number;
}

/** Parse dotted-quad IPv4, or undefined. */
export function parseIPv4(s: string): Ip | undefined {
  const bytes: number[] = [];
  let n = 0;
  let digits = 0;
  for (let i = 0; i <= s.length; i++) {
    const c = i < s.length ? s.charCodeAt(i) : 46; // a final '.' ends the last octet
    if (c >= 48 && c <= 57) {
      // No leading zeros: "010" is octal to some tools.
      if (digits === 1 && n === 0) return undefined;
      n = n * 10 + (c - 48);
      if (++digits > 3 || n > 255) return undefined;
    } else if (c === 46 && digits > 0) {
      bytes.push(n);
      n = 0;
      digits = 0;
    } else return undefined;
  }
  return bytes.length === 4 ? { family: 4, bytes } : undefined;
}

/** Parse IPv6 (with `::` and an optional dotted IPv4 tail), or undefined. */
export function parseIPv6(s: string): Ip | undefined {
  if (!/^[0-9A-Fa-f:.]+$/.test(s)) return undefined;
  const halves = s.split("::");
  if (halves.length > 2) return undefined;
  const groups = (h: string): number[] | undefined => {
    if (h === "") return [];
    const out: number[] = [];
    const items = h.split(":");
    for (let i = 0; i < items.length; i++) {
      const it = items[i];
      if (it.includes(".")) {
        if (i !== items.length - 1) return undefined;
        const v4 = parseIPv4(it);
        if (!v4) return undefined;
        out.push((v4.bytes[0] << 8) | v4.bytes[1], (v4.bytes[2] << 8) | v4.bytes[3]);
      } else {
        if (!/^[0-9A-Fa-f]{1,4}$/.test(it)) return undefined;
        out.push(parseInt(it, 16));
      }
    }
    return out;
  };
  const head = groups(halves[0]);
  const tail = halves.length === 2 ? groups(halves[1]) : [];
  if (!head || !tail) return undefined;
  // An IPv4 tail is only allowed at the very end.
  if (halves.length === 2 && halves[0].includes(".")) return undefined;
  let all: number[];
  if (halves.length === 2) {
    const fill = 8 - head.length - tail.length;
    if (fill < 1) return undefined;
    all = [...head, ...new Array(fill).fill(0), ...tail];
  } else {
    if (head.length !== 8) return undefined;
    all = head;
  }
  const bytes: number[] = [];
  for (const g of all) bytes.push(g >> 8, g & 0xff);
  return { family: 6, bytes };
}

/** Parse either family. */
export function parseIp(s: string): Ip | undefined {
  return s.includes(":") ? parseIPv6(s) : parseIPv4(s);
}

/** Why `s` is not a valid `address[/prefix]`, or the parsed value. */
export function parseCidr(s: string): Cidr | string {
  const slash = s.indexOf("/");
  const addr = slash === -1 ? s : s.slice(0, slash);
  const ip = parseIp(addr);
  if (!ip) {
    if (!addr.includes(":") && addr.split(".").some((p) => /^0\d/.test(p))) {
      return `'${addr}' has an octet with a leading zero`;
    }
    return `'${addr}' is not a valid IPv${addr.includes(":") ? 6 : 4} address`;
  }
  if (slash === -1) return ip;
  const p = s.slice(slash + 1);
  const max = ip.family === 4 ? 32 : 128;
  if (!/^\d{1,3}$/.test(p) || Number(p) > max) {
    return `'/${p}' is not a prefix length for IPv${ip.family} (0 to ${max})`;
  }
  return { family: ip.family, bytes: ip.bytes, prefix: Number(p) };
}

/** Canonical text of an address. */
export function formatIp(ip: Ip): string {
  if (ip.family === 4) return ip.bytes.join(".");
  const g: number[] = [];
  for (let i = 0; i < 16; i += 2) g.push((ip.bytes[i] << 8) | ip.bytes[i + 1]);
  // Longest run of zero groups of length >= 2; the first one on ties.
  let bestAt = -1;
  let bestLen = 1;
  for (let i = 0; i < 8;) {
    if (g[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && g[j] === 0) j++;
    if (j - i > bestLen) {
      bestAt = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = (xs: number[]) => xs.map((x) => x.toString(16)).join(":");
  if (bestAt === -1) return hex(g);
  return `${hex(g.slice(0, bestAt))}::${hex(g.slice(bestAt + bestLen))}`;
}

/** Canonical text of an address with its prefix, if any. */
export function formatCidr(c: Cidr): string {
  return c.prefix === undefined ? formatIp(c) : `${formatIp(c)}/${c.prefix}`;
}

/** True when `ip` is a multicast address (224.0.0.0/4 or ff00::/8). */
export function isMulticast(ip: Ip): boolean {
  return ip.family === 4 ? (ip.bytes[0] & 0xf0) === 0xe0 : ip.bytes[0] === 0xff;
}

/** True when every address of the prefix is multicast. */
export function isMulticastPrefix(c: Cidr): boolean {
  const p = c.prefix ?? (c.family === 4 ? 32 : 128);
  return isMulticast(c) && p >= (c.family === 4 ? 4 : 8);
}

/** The prefix with host bits cleared. */
export function network(c: Cidr): Cidr {
  const p = c.prefix ?? c.bytes.length * 8;
  const bytes = c.bytes.map((b, i) => {
    const keep = Math.max(0, Math.min(8, p - i * 8));
    return b & ((0xff << (8 - keep)) & 0xff);
  });
  return { ...c, bytes };
}

/** True when bits beyond the prefix are set (e.g. `239.1.0.0/8`). */
export function hostBitsSet(c: Cidr): boolean {
  return network(c).bytes.some((b, i) => b !== c.bytes[i]);
}

/** True for 0.0.0.0 and :: */
export function isUnspecified(ip: Ip): boolean {
  return ip.bytes.every((b) => b === 0);
}
