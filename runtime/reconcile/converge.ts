/**
 * Converge one resource to a target (or to absence) from whatever state it
 * is in now. Every apply step, every rollback step and crash recovery go
 * through here, so each is idempotent: doing it twice is harmless.
 *
 * @module
 */
import type { Resource } from "../../dsl/schema.ts";
import { diffAttrs, IMMUTABLE } from "../plan/diff.ts";
import type { AnyHandler, Ctx } from "./handlers/handler.ts";

function immutableChanged(kind: Resource["kind"], current: Resource, target: Resource): boolean {
  return diffAttrs(current, target).some((a) =>
    IMMUTABLE[kind].some((p) => a.path === p || a.path.startsWith(p + "."))
  );
}

/** Make (kind, name) match `target`; `target` undefined removes it. */
export async function converge(
  ctx: Ctx,
  h: AnyHandler,
  name: string,
  target: Resource | undefined,
  ref?: Resource,
): Promise<void> {
  const want = target ? h.canonical(target) : undefined;
  const current = await h.observeOne(ctx, name, want ?? ref);
  if (!want) {
    if (current) await h.delete(ctx, current);
    return;
  }
  if (!current) {
    await h.create(ctx, want);
    return;
  }
  if (diffAttrs(current, want).length === 0) return;
  if (immutableChanged(h.kind, current, want)) {
    await h.delete(ctx, current);
    await h.create(ctx, want);
  } else {
    await h.update(ctx, current, want);
  }
}

/** Check that (kind, name) now matches `target`; throw what differs. */
export async function verify(
  ctx: Ctx,
  h: AnyHandler,
  name: string,
  target: Resource | undefined,
): Promise<void> {
  const want = target ? h.canonical(target) : undefined;
  const current = await h.observeOne(ctx, name, want);
  if (!want) {
    if (current) throw new Error("still present after deletion");
    return;
  }
  if (!current) throw new Error("not present after the change");
  const left = diffAttrs(current, want);
  if (left.length) {
    const what = left.map((a) =>
      `${a.path} is ${JSON.stringify(a.before)}, want ${JSON.stringify(a.after)}`
    );
    throw new Error(`verification failed: ${what.join("; ")}`);
  }
}
