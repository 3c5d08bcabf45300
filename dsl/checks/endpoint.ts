/**
 * `endpoint`: addresses of the right family, ports in range, `ipn network`
 * naming a declared network.
 *
 * @module
 */
import type { EndpointDecl, NetworkDecl } from "../ast.ts";
import { type Diagnostic, error } from "../diagnostics.ts";
import { didYouMean } from "../suggest.ts";
import { checkPath } from "./paths.ts";
import { checkAddress, inRange } from "./values.ts";

/** Check one endpoint against the networks that apply. */
export function checkEndpoint(
  e: EndpointDecl,
  networks: Map<string, NetworkDecl>,
  d: Diagnostic[],
): void {
  if (e.addresses.length === 0 && !e.recovered) {
    d.push(
      error(e.name.span, "missing-setting", `endpoint '${e.name.text}' has no address`, {
        hint: "add e.g. 'inet 10.0.0.5 port 5432' or 'ipn network lab'",
      }),
    );
  }
  for (const a of e.addresses) {
    if (a.family === "ipn") {
      if (a.path) checkPath(d, a.path, "ipn path");
      if (a.network && !networks.has(a.network.text)) {
        d.push(
          error(a.network.span, "unknown-network", `no network is named '${a.network.text}'`, {
            hint: didYouMean(a.network.text, networks.keys()) ??
              (networks.size
                ? `networks: ${[...networks.keys()].sort().join(", ")}`
                : "declare the network first"),
          }),
        );
      }
      continue;
    }
    checkAddress(d, a.address, a.family, {
      family: a.family === "inet" ? 4 : 6,
      prefix: "none",
      multicast: "forbidden",
    });
    inRange(d, a.port, 1, 65535, "port");
  }
}
