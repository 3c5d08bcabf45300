/**
 * A resource handler knows how to observe, create, update and delete one
 * kind of resource. The reconciler is generic over these.
 *
 * @module
 */
import type { Resource, ResourceKind } from "../../../dsl/schema.ts";
import type { Dataplane } from "../dataplane.ts";

/** What handlers get to work with. */
export interface Ctx {
  dp: Dataplane;
  /** Owner tag written on every network we create. */
  owner: string;
  /** Where published policy files live (bind policies, endpoints). */
  runDir: string;
  /**
   * The resources the current operation knows by name (desired and last
   * applied), for handlers whose objects share one live artefact.
   */
  refs?: Map<ResourceKind, Map<string, Resource>>;
}

/**
 * Hints for observation: for each name, the resource we expect (desired or
 * last applied). Optional attributes the reference does not set are not
 * managed by ipn and are left out of the observed resource.
 */
export type Refs<R extends Resource> = Map<string, R>;

export interface Handler<R extends Resource = Resource> {
  kind: R["kind"];
  /** Every live resource of this kind that ipn owns. */
  observe(ctx: Ctx, refs: Refs<R>): Promise<R[]> | R[];
  /** One live resource, or undefined when it does not exist. */
  observeOne(ctx: Ctx, name: string, ref: R | undefined): Promise<R | undefined> | R | undefined;
  create(ctx: Ctx, r: R): void | Promise<void>;
  update(ctx: Ctx, before: R, after: R): void | Promise<void>;
  delete(ctx: Ctx, r: R): void | Promise<void>;
  /** Bring a desired resource to the form observation yields. */
  canonical(r: R): R;
  /** Why the backend cannot provide `r`, or undefined when it can. */
  unsupported?(backend: "user" | "kernel", r: R): string | undefined;
  /** Plan-time problems of the desired resources of this kind, taken together. */
  problems?(ctx: Ctx, rs: R[]): Promise<string[]> | string[];
  /**
   * Plan-time warnings: things that apply but will not work as well as the
   * file suggests (an uplink whose frames do not fit its underlay). Each says
   * what to do about it.
   */
  warnings?(ctx: Ctx, rs: R[]): Promise<string[]> | string[];
}

export type AnyHandler = Handler<Resource>;
export type HandlerTable = Partial<Record<ResourceKind, AnyHandler>>;

/** Keep `key` of `observed` only when the reference manages it. */
export function managed<T extends object, K extends keyof T>(
  observed: T,
  ref: T | undefined,
  keys: K[],
): T {
  const out = { ...observed };
  for (const k of keys) if (!ref || ref[k] === undefined) delete out[k];
  return out;
}
