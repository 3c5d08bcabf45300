/**
 * `policy switch`: VLAN ids, ports within the network, no port untagged in
 * two VLANs, one statement per VLAN.
 *
 * @module
 */
import type { SwitchAst } from "../ast.ts";
import { type Diagnostic, error, related } from "../diagnostics.ts";
import type { NetLimits } from "./network.ts";
import { inRange, overlap, rangesIn } from "./values.ts";

/** Check a switch policy against its network's limits. */
export function checkSwitch(p: SwitchAst, lim: NetLimits, portsOk: boolean, d: Diagnostic[]): void {
  inRange(d, p.ageing?.value, 1, 1000000, "ageing", "seconds a learned address is kept");
  const maxPort = portsOk ? lim.ports : 65535;
  const portHint = () => `network '${lim.name}' has ${lim.ports} ports`;
  const good: typeof p.vlans = [];
  // Statements with a valid id, in order (a switch has few VLANs: scan them).
  const ids: typeof p.vlans = [];
  for (const v of p.vlans) {
    const idOk = inRange(d, v.vlan, 1, 4094, "vlan", "VLAN ids are 1 to 4094", "vlan-out-of-range");
    const portsGood = rangesIn(d, v.ports, 1, maxPort, "port", "port-beyond-ports", portHint);
    if (idOk) {
      const prev = ids.find((x) => x.vlan.value === v.vlan.value);
      if (prev) {
        d.push(
          error(v.vlan.span, "duplicate-vlan", `vlan ${v.vlan.value} is declared twice`, {
            hint: `list all its ports in one statement: vlan ${v.vlan.value} ports 1-4,7`,
            related: [related(prev.vlan.span, "first declared here")],
          }),
        );
        continue;
      }
      ids.push(v);
    }
    if (!portsGood) continue;
    for (const other of good) {
      const shared = overlap(v.ports, other.ports);
      if (shared !== undefined) {
        d.push(
          error(
            v.ports.find((r) => r.from <= shared && shared <= r.to)!.span,
            "vlan-overlap",
            `port ${shared} is untagged in vlan ${other.vlan.value} and vlan ${v.vlan.value}`,
            {
              hint: "a port carries one untagged VLAN; use a trunk for several",
              related: [related(other.vlan.span, `vlan ${other.vlan.value} declared here`)],
            },
          ),
        );
        break;
      }
    }
    good.push(v);
  }
  for (const t of p.trunks) {
    rangesIn(d, t.ports, 1, maxPort, "port", "port-beyond-ports", portHint);
    rangesIn(d, t.vlans, 1, 4094, "vlan", "vlan-out-of-range", "VLAN ids are 1 to 4094");
  }
}
