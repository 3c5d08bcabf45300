/**
 * The diff between what exists and what a Plan wants, computed once and
 * rendered elsewhere (render.ts). Resources are matched by (kind, name);
 * attributes are compared leaf by leaf so a change reads `~ access.mode`.
 *
 * @module
 */
import { compareResources, type Resource, type ResourceKind } from "../../dsl/schema.ts";

/** What happens to one resource. */
export type Action = "create" | "update" | "replace" | "delete" | "noop";

/** One attribute that differs; `path` is dotted (`access.mode`). */
export interface AttrChange {
  path: string;
  before?: unknown;
  after?: unknown;
  /** This attribute cannot change in place. */
  forcesReplacement: boolean;
}

/** The change to one resource. */
export interface Change {
  kind: ResourceKind;
  name: string;
  action: Action;
  before?: Resource;
  after?: Resource;
  attrs: AttrChange[];
  /** Why a replacement happens, for the reader. */
  reason?: string;
  /** Set when the live object differs from what was last applied. */
  drift?: string;
}

/** A computed diff, ordered deterministically (kind order, then name). */
export interface Diff {
  changes: Change[];
  summary: { create: number; update: number; replace: number; delete: number };
}

/**
 * Attributes that cannot change on a live object. A path matches itself and
 * everything below it (`policy.kind` matches `policy.kind` only).
 */
export const IMMUTABLE: Record<ResourceKind, readonly string[]> = {
  network: ["path", "policy.kind", "policy.key", "policy.merge"],
  tap: ["network", "port"],
  grab: ["network", "port"],
  // Static peers (`remote`) are forwarding entries, changed in place.
  uplink: ["network", "type", "vni", "group", "dev", "port", "ttl"],
  rewrite: [],
  bind: [],
  endpoint: [],
};

/** What a replacement costs, said next to it in the plan. */
export const REPLACE_CONSEQUENCE: Record<ResourceKind, string> = {
  network: "members are disconnected",
  tap: "the interface is recreated",
  grab: "the interface is detached and attached again",
  uplink: "the VXLAN device is recreated",
  rewrite: "",
  bind: "",
  endpoint: "",
};

/** Attributes that never take part in a diff. */
const IGNORED = new Set(["kind", "name", "source"]);

function isImmutable(kind: ResourceKind, path: string): boolean {
  return IMMUTABLE[kind].some((p) => path === p || path.startsWith(p + "."));
}

/**
 * Flatten a resource into leaf attributes. Arrays are leaves (compared whole)
 * so that reordering a list reads as one change, not many.
 */
export function flatten(value: unknown, prefix = "", out = new Map<string, unknown>()) {
  if (value !== null && typeof value === "object" && !Array.isArray(value)) {
    for (const key of Object.keys(value).sort()) {
      if (prefix === "" && IGNORED.has(key)) continue;
      const v = (value as Record<string, unknown>)[key];
      if (v === undefined) continue;
      flatten(v, prefix ? `${prefix}.${key}` : key, out);
    }
  } else {
    out.set(prefix, value);
  }
  return out;
}

/** Deep equality for JSON-shaped values. */
export function sameValue(a: unknown, b: unknown): boolean {
  return canonicalJson(a) === canonicalJson(b);
}

/** JSON with object keys sorted, so equal values serialise equally. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(
    value,
    (_k, v) =>
      v !== null && typeof v === "object" && !Array.isArray(v)
        ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, v[k]]))
        : v,
  );
}

/** Attribute-level differences between two versions of one resource. */
export function diffAttrs(before: Resource, after: Resource): AttrChange[] {
  const a = flatten(before);
  const b = flatten(after);
  const paths = [...new Set([...a.keys(), ...b.keys()])].sort();
  const out: AttrChange[] = [];
  for (const path of paths) {
    const x = a.get(path);
    const y = b.get(path);
    if (sameValue(x, y)) continue;
    out.push({ path, before: x, after: y, forcesReplacement: isImmutable(after.kind, path) });
  }
  return out;
}

function keyOf(r: { kind: string; name: string }): string {
  return `${r.kind}\u0000${r.name}`;
}

/** Which resource a child hangs from, if any. */
export function parentOf(r: Resource): string | undefined {
  return "network" in r && typeof r.network === "string" ? r.network : undefined;
}

/** Options of {@link diff}. */
export interface DiffOptions {
  /**
   * What was last applied. A live resource that differs from it has drifted;
   * a recorded resource missing from `live` was removed behind our back.
   */
  recorded?: Resource[];
}

/**
 * Compute the changes that turn `live` into `desired`.
 *
 * Both lists are of owned resources only: the caller never passes objects ipn
 * did not create, so they can never be planned for deletion.
 */
export function diff(live: Resource[], desired: Resource[], opts: DiffOptions = {}): Diff {
  const liveByKey = new Map(live.map((r) => [keyOf(r), r]));
  const wantByKey = new Map(desired.map((r) => [keyOf(r), r]));
  const recorded = new Map((opts.recorded ?? []).map((r) => [keyOf(r), r]));
  const changes: Change[] = [];

  for (const want of desired) {
    const have = liveByKey.get(keyOf(want));
    if (!have) {
      changes.push({ kind: want.kind, name: want.name, action: "create", after: want, attrs: [] });
      continue;
    }
    const attrs = diffAttrs(have, want);
    const forced = attrs.filter((a) => a.forcesReplacement);
    const action: Action = attrs.length === 0 ? "noop" : forced.length ? "replace" : "update";
    const change: Change = {
      kind: want.kind,
      name: want.name,
      action,
      before: have,
      after: want,
      attrs,
    };
    if (forced.length) {
      const what = forced.map((a) => a.path).join(", ");
      const consequence = REPLACE_CONSEQUENCE[want.kind];
      change.reason = `${what} changed, forces replacement` +
        (consequence ? ` (${consequence})` : "");
    }
    changes.push(change);
  }
  for (const have of live) {
    if (!wantByKey.has(keyOf(have))) {
      changes.push({ kind: have.kind, name: have.name, action: "delete", before: have, attrs: [] });
    }
  }

  cascadeReplacements(changes);
  annotateDrift(changes, liveByKey, recorded);

  changes.sort((x, y) =>
    compareResources(
      (x.after ?? x.before) as Resource,
      (y.after ?? y.before) as Resource,
    )
  );
  const summary = { create: 0, update: 0, replace: 0, delete: 0 };
  for (const c of changes) if (c.action !== "noop") summary[c.action]++;
  return { changes, summary };
}

/** Children of a replaced network go down with it, so they are replaced too. */
function cascadeReplacements(changes: Change[]) {
  const replaced = new Set(
    changes.filter((c) => c.kind === "network" && c.action === "replace").map((c) => c.name),
  );
  if (replaced.size === 0) return;
  for (const c of changes) {
    const r = (c.after ?? c.before) as Resource;
    const parent = parentOf(r);
    if (!parent || !replaced.has(parent)) continue;
    if (c.action === "noop" || c.action === "update") {
      c.action = "replace";
      c.reason = `replaced together with network '${parent}'`;
    }
  }
}

/** Name each resource whose live state is not what was last applied. */
function annotateDrift(
  changes: Change[],
  live: Map<string, Resource>,
  recorded: Map<string, Resource>,
) {
  for (const c of changes) {
    const key = keyOf(c);
    const was = recorded.get(key);
    if (!was) continue;
    const now = live.get(key);
    if (!now) {
      c.drift = `${c.kind} '${c.name}' was removed outside ipn`;
      continue;
    }
    const moved = diffAttrs(was, now).map((a) => a.path);
    if (moved.length) c.drift = `changed outside ipn: ${moved.join(", ")}`;
  }
}

/** True when applying would change nothing. */
export function isEmpty(d: Diff): boolean {
  return d.changes.every((c) => c.action === "noop");
}
