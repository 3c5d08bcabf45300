/**
 * Semantic checks over the declarations that apply to one host. Each check
 * reports with a stable code; all of them run, so one run shows every
 * problem.
 *
 * @module
 */
import type { Decl, NetworkDecl } from "../ast.ts";
import type { Diagnostic } from "../diagnostics.ts";
import { checkBind } from "./bind.ts";
import { checkEndpoint } from "./endpoint.ts";
import { checkNames } from "./names.ts";
import { checkNetwork } from "./network.ts";
import { checkRewrite } from "./rewrite.ts";

/** Run every check; diagnostics are appended to `d`. */
export function runChecks(decls: Decl[], d: Diagnostic[]): void {
  checkNames(decls, d);
  const networks = new Map<string, NetworkDecl>();
  for (const x of decls) {
    if (x.kind === "network" && !networks.has(x.name.text)) networks.set(x.name.text, x);
  }
  for (const x of decls) {
    switch (x.kind) {
      case "network":
        checkNetwork(x, d);
        break;
      case "rewrite":
        checkRewrite(x, d);
        break;
      case "bind":
        checkBind(x, d);
        break;
      case "endpoint":
        checkEndpoint(x, networks, d);
        break;
    }
  }
}
