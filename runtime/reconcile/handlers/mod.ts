/**
 * The handler for each resource kind the daemon can reconcile.
 *
 * @module
 */
import type { HandlerTable } from "./handler.ts";
import { networkHandler } from "./network.ts";
import { grabHandler, tapHandler } from "./attach.ts";
import { uplinkHandler } from "./uplink.ts";
import { rewriteHandler } from "./rewrite.ts";
import { bindHandler } from "./bind.ts";
import { endpointHandler } from "./endpoint.ts";

export type { AnyHandler, Ctx, Handler, HandlerTable } from "./handler.ts";

/** Handlers of every kind this build supports. */
export function defaultHandlers(): HandlerTable {
  return {
    network: networkHandler as HandlerTable["network"],
    tap: tapHandler as HandlerTable["tap"],
    grab: grabHandler as HandlerTable["grab"],
    uplink: uplinkHandler as HandlerTable["uplink"],
    rewrite: rewriteHandler as HandlerTable["rewrite"],
    bind: bindHandler as HandlerTable["bind"],
    endpoint: endpointHandler as HandlerTable["endpoint"],
  };
}
