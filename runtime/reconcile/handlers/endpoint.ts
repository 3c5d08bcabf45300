/**
 * Endpoints: entries of the world-readable table RUNDIR/endpoints.json that
 * unprivileged programs (and libipn's ipn_endpoint_lookup) resolve names in.
 *
 * @module
 */
import type { Endpoint } from "../../../dsl/schema.ts";
import { publishEndpoints } from "../../policy/mod.ts";
import { join } from "node:path";
import type { Ctx, Handler } from "./handler.ts";

function table(ctx: Ctx): Endpoint[] {
  let text: string;
  try {
    text = Deno.readTextFileSync(join(ctx.runDir, "endpoints.json"));
  } catch {
    return [];
  }
  try {
    const t = JSON.parse(text) as { endpoints?: Record<string, Endpoint["addresses"]> };
    return Object.entries(t.endpoints ?? {}).map(([name, addresses]) => ({
      kind: "endpoint",
      name,
      addresses,
    }));
  } catch {
    // A table damaged by hand is drift: every entry is gone until re-published.
    return [];
  }
}

function publish(ctx: Ctx, list: Endpoint[]) {
  publishEndpoints(ctx.runDir, list);
}

export const endpointHandler: Handler<Endpoint> = {
  kind: "endpoint",
  observe(ctx) {
    return table(ctx);
  },
  observeOne(ctx, name) {
    return table(ctx).find((e) => e.name === name);
  },
  create(ctx, e) {
    publish(ctx, [...table(ctx).filter((x) => x.name !== e.name), e]);
  },
  update(ctx, _b, after) {
    this.create(ctx, after);
  },
  delete(ctx, e) {
    publish(ctx, table(ctx).filter((x) => x.name !== e.name));
  },
  canonical(e) {
    const { source: _s, ...rest } = e;
    return rest as Endpoint;
  },
};
