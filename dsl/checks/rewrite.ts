/**
 * `rewrite`: an input interface, an IPv4 multicast group range and ports,
 * and a unicast destination.
 *
 * @module
 */
import type { RewriteDecl } from "../ast.ts";
import { type Diagnostic, error } from "../diagnostics.ts";
import { checkAddress, checkIfName, rangesIn } from "./values.ts";

/** Check one rewrite. */
export function checkRewrite(r: RewriteDecl, d: Diagnostic[]): void {
  if (!r.recovered && (!r.from || !r.match || !r.to)) {
    const missing: [unknown, string, string][] = [
      [r.from, "from", "from eth1"],
      [r.match, "match", "match udp dst 239.0.0.0/8 port 10000"],
      [r.to, "to", "to unicast eth0"],
    ];
    for (const [v, what, example] of missing) {
      if (v === undefined) {
        d.push(
          error(r.name.span, "missing-setting", `rewrite '${r.name.text}' has no '${what}'`, {
            hint: `add e.g. '${example}'`,
          }),
        );
      }
    }
  }
  if (r.from) checkIfName(d, r.from.value, "from");
  if (r.match) {
    checkAddress(d, r.match.group, "match dst", {
      family: 4,
      prefix: "optional",
      multicast: "required",
      noHostBits: true,
    });
    rangesIn(d, r.match.ports, 1, 65535, "port");
  }
  if (r.to) {
    checkIfName(d, r.to.iface, "to");
    if (r.to.address) {
      checkAddress(d, r.to.address, "to address", {
        family: 4,
        prefix: "none",
        multicast: "forbidden",
      });
    }
  }
  if (r.from && r.to && r.from.value.text === r.to.iface.text) {
    d.push(
      error(
        r.to.iface.span,
        "rewrite-loop",
        `rewrite '${r.name.text}' sends to the interface it reads from`,
        {
          hint: "re-projection moves traffic from one interface to another",
        },
      ),
    );
  }
}
