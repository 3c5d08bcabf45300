/**
 * Users and groups: the Plan names them, the data plane holds numbers. Both
 * sides are brought to one canonical form (the name when the system knows
 * the id, else the number) so that `owner root` and uid 0 compare equal.
 *
 * @module
 */

interface Db {
  byName: Map<string, number>;
  byId: Map<number, string>;
}

function readDb(path: string): Db {
  const db: Db = { byName: new Map(), byId: new Map() };
  let text = "";
  try {
    text = Deno.readTextFileSync(path);
  } catch {
    return db;
  }
  for (const line of text.split("\n")) {
    const f = line.split(":");
    if (f.length < 3 || f[0].startsWith("#")) continue;
    const id = Number(f[2]);
    if (!Number.isInteger(id)) continue;
    db.byName.set(f[0], id);
    if (!db.byId.has(id)) db.byId.set(id, f[0]);
  }
  return db;
}

let users: Db | undefined;
let groups: Db | undefined;

function dbOf(kind: "user" | "group"): Db {
  if (kind === "user") return users ??= readDb("/etc/passwd");
  return groups ??= readDb("/etc/group");
}

/** Forget cached databases (after a user or group was added). */
export function reloadPrincipals() {
  users = groups = undefined;
}

/** The numeric id of a principal; undefined when the name is unknown. */
export function resolveId(kind: "user" | "group", p: string | number): number | undefined {
  if (typeof p === "number") return p;
  if (/^\d+$/.test(p)) return Number(p);
  return dbOf(kind).byName.get(p);
}

/** Canonical form: the name if the id has one, else the number. */
export function canonicalPrincipal(kind: "user" | "group", p: string | number): string | number {
  const id = resolveId(kind, p);
  if (id === undefined) return p;
  return dbOf(kind).byId.get(id) ?? id;
}
