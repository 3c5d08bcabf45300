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
  // VLAN statements whose ports are good, in order, to compare ports with.
  const good: typeof p.vlans = [];
  // The first statement of each valid id; with one VLAN there is nothing to compare.
  const ids = p.vlans.length > 1 ? new Map<number, (typeof p.vlans)[number]>() : undefined;
  for (const v of p.vlans) {
    const idOk = inRange(d, v.vlan, 1, 4094, "vlan", "VLAN ids are 1 to 4094", "vlan-out-of-range");
    const portsGood = rangesIn(d, v.ports, 1, maxPort, "port", "port-beyond-ports", portHint);
    if (ids === undefined) continue;
    if (idOk) {
      const prev = ids.get(v.vlan.value);
      if (prev) {
        d.push(
          error(v.vlan.span, "duplicate-vlan", `vlan ${v.vlan.value} is declared twice`, {
            hint: `list all its ports in one statement: vlan ${v.vlan.value} ports 1-4,7`,
            related: [related(prev.vlan.span, "first declared here")],
          }),
        );
        continue;
      }
      ids.set(v.vlan.value, v);
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
