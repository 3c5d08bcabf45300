/**
 * From a diff to an ordered list of operations. Deletions come first,
 * children before parents (a tap goes before its network); then creations
 * and updates, parents before children. A replacement is a deletion plus a
 * creation, so it lands in both halves.
 *
 * @module
 */
import { KIND_ORDER, type Resource, type ResourceKind } from "../../dsl/schema.ts";
import type { Diff } from "../plan/diff.ts";

/** One step of an apply: make (kind, name) look like `after` (absent: gone). */
export interface Op {
  kind: ResourceKind;
  name: string;
  action: "create" | "update" | "delete";
  before?: Resource;
  after?: Resource;
}

const rank = (k: ResourceKind) => KIND_ORDER.indexOf(k);
const byName = (a: Op, b: Op) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

/** Order the changes of a diff into executable operations. */
export function opsOf(d: Diff): Op[] {
  const deletes: Op[] = [];
  const upserts: Op[] = [];
  for (const c of d.changes) {
    if (c.action === "delete" || c.action === "replace") {
      deletes.push({ kind: c.kind, name: c.name, action: "delete", before: c.before });
    }
    if (c.action === "create" || c.action === "replace") {
      upserts.push({ kind: c.kind, name: c.name, action: "create", after: c.after });
    }
    if (c.action === "update") {
      upserts.push({
        kind: c.kind,
        name: c.name,
        action: "update",
        before: c.before,
        after: c.after,
      });
    }
  }
  deletes.sort((a, b) => rank(b.kind) - rank(a.kind) || byName(a, b));
  upserts.sort((a, b) => rank(a.kind) - rank(b.kind) || byName(a, b));
  return [...deletes, ...upserts];
}

/** `network.lab`, for messages. */
export function opLabel(op: Op): string {
  return `${op.kind}.${op.name}`;
}
