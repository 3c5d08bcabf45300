/**
 * `uplink vxlan`: a VNI, a multicast group (with its device) or unicast
 * remotes but not both, port and TTL in range.
 *
 * @module
 */
import type { UplinkDecl } from "../ast.ts";
import { type Diagnostic, error, related } from "../diagnostics.ts";
import { checkAddress, checkIfName, inRange } from "./values.ts";

/** Check one uplink. */
export function checkUplink(u: UplinkDecl, d: Diagnostic[]): void {
  if (u.vni) inRange(d, u.vni.value, 0, 16777215, "vni", "VXLAN network identifiers are 24 bits");
  else if (!u.recovered) {
    d.push(error(u.at, "missing-setting", "uplink has no 'vni'", { hint: "add e.g. 'vni 42'" }));
  }
  inRange(d, u.port?.value, 1, 65535, "port", "the VXLAN UDP port; 4789 by default");
  inRange(d, u.ttl?.value, 1, 255, "ttl");
  if (u.dev) checkIfName(d, u.dev.value, "dev");
  const remotes = u.remote?.value ?? [];
  if (u.group && u.remote) {
    d.push(
      error(u.remote.at, "uplink-peers", "an uplink has a multicast group or remotes, not both", {
        hint: "group finds peers by multicast; remote lists them; keep one",
        related: [related(u.group.at, "group set here")],
      }),
    );
  } else if (!u.group && !u.remote && !u.recovered) {
    d.push(
      error(
        u.at,
        "uplink-peers",
        "uplink has neither 'group' nor 'remote': it would reach no peer",
        {
          hint: "add 'group 239.1.1.1' with 'dev eth0', or 'remote 192.0.2.2'",
        },
      ),
    );
  }
  if (u.group) {
    const g = checkAddress(d, u.group.value, "group", { prefix: "none", multicast: "required" });
    if (g && !u.dev) {
      d.push(
        error(
          u.group.at,
          "missing-setting",
          "a multicast group needs 'dev', the underlay interface",
          {
            hint: "add e.g. 'dev eth0'",
          },
        ),
      );
    }
  }
  let family: 4 | 6 | undefined;
  for (const r of remotes) {
    const c = checkAddress(d, r, "remote", { prefix: "none", multicast: "forbidden" });
    if (!c) continue;
    if (family && c.family !== family) {
      d.push(
        error(r.span, "address-family", `remotes mix IPv${family} and IPv${c.family}`, {
          hint: "one uplink reaches its peers over one address family; declare a second uplink",
        }),
      );
    }
    family ??= c.family;
  }
}
