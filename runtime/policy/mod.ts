/**
 * ipn's policies on stock kernels: rewrites (nftables), per-process device
 * binding (libipn_bind.so) and multi-family endpoints.
 *
 * @module
 */
export { PolicyError, probeInterface } from "./ffi.ts";
export type { IfFacts } from "./ffi.ts";
export { OWNER_COMMENT, renderRewrites, REWRITE_FAMILY, REWRITE_TABLE } from "./rewrite_render.ts";
export type { IfProbe, ResolvedRewrite, RewriteRender } from "./rewrite_render.ts";
export { describeDrift } from "./rewrite_drift.ts";
export {
  applyRewrites,
  checkRewrites,
  observeRewrites,
  planRewrites,
  removeRewrites,
  rewriteCounters,
  rewriteDrift,
} from "./rewrite.ts";
export type { RewriteApply } from "./rewrite.ts";
export {
  bindPolicyText,
  publishBindPolicies,
  publishedBindPolicies,
  readPublishedBindPolicy,
} from "./bind.ts";
export { bindLibrary, DEFAULT_RUNDIR, execWithPolicy, prepareExec } from "./exec.ts";
export type { ExecOptions, PreparedExec } from "./exec.ts";
export {
  connectEndpoint,
  endpointTable,
  entryText,
  lookupEndpoint,
  publishEndpoints,
} from "./endpoint.ts";
export type { EndpointConnection } from "./endpoint.ts";
