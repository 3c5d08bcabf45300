/**
 * A network's own settings, its access and its members (taps, grabs,
 * uplinks), and its policy.
 *
 * @module
 */
import type { AccessAst, GrabDecl, NetworkDecl, Num, Principal, TapDecl } from "../ast.ts";
import { type Diagnostic, error, related, type Span, warning } from "../diagnostics.ts";
import { DEFAULTS, ETHERNET_HEADER } from "../defaults.ts";
import { checkConcast } from "./concast.ts";
import { checkPath } from "./paths.ts";
import { checkSwitch } from "./switch.ts";
import { checkUplink } from "./uplink.ts";
import { checkAddress, inRange } from "./values.ts";

/** The limits a network's members and policy are checked against. */
export interface NetLimits {
  name: string;
  ports: number;
  mtu: number;
}

/** Check one network. */
export function checkNetwork(n: NetworkDecl, d: Diagnostic[]): void {
  if (n.path) checkPath(d, n.path.value, "path");
  else if (!n.recovered) {
    d.push(
      error(n.name.span, "missing-setting", `network '${n.name.text}' has no path`, {
        hint: 'add e.g. path "/run/ipn/' + n.name.text + '"',
      }),
    );
  }
  const portsOk = inRange(d, n.ports?.value, 1, 65535, "ports");
  const mtuOk = inRange(
    d,
    n.mtu?.value,
    64,
    9216,
    "mtu",
    "the largest message, in bytes: 64 to 9216",
  );
  inRange(d, n.queue?.value, 1, 65536, "queue");
  if (n.access) checkAccess(n.access, d);
  const lim: NetLimits = {
    name: n.name.text,
    ports: portsOk && n.ports ? n.ports.value.value : DEFAULTS.ports,
    mtu: mtuOk && n.mtu ? n.mtu.value.value : DEFAULTS.mtu,
  };
  checkMembers(n, lim, portsOk, d);
  if (n.policy?.kind === "switch") checkSwitch(n.policy, lim, portsOk, d);
  if (n.policy?.kind === "concast") checkConcast(n.policy, lim, portsOk && mtuOk, d);
  for (const u of n.uplinks) checkUplink(u, d);
}

function checkAccess(a: AccessAst, d: Diagnostic[]): void {
  if (a.owner) checkPrincipal(a.owner.value, "owner", d);
  if (a.group) checkPrincipal(a.group.value, "group", d);
  if (a.mode) checkMode(a.mode.value, d);
}

function checkPrincipal(p: Principal, what: string, d: Diagnostic[]): void {
  if (p.numeric) {
    inRange(d, p.numeric, 0, 4294967294, `${what} id`);
    return;
  }
  if (!/^[A-Za-z_][A-Za-z0-9_.\-]*\$?$/.test(p.text.text) || p.text.text.length > 32) {
    d.push(
      error(p.text.span, "invalid-principal", `'${p.text.text}' is not a valid ${what} name`, {
        hint: `write a ${what === "owner" ? "user" : "group"} name or a numeric id`,
      }),
    );
  }
}

/** Modes are written in octal with a leading zero, as chmod takes them. */
function checkMode(m: Num, d: Diagnostic[]): void {
  if (!/^0[0-7]*$/.test(m.text)) {
    const digits = /^[0-7]+$/.test(m.text);
    d.push(
      error(m.span, "invalid-mode", `mode ${m.text} is not written in octal`, {
        hint: digits
          ? `write it with a leading zero: 0${m.text}`
          : "modes are octal: digits 0-7 after a leading 0, e.g. 0660",
      }),
    );
    return;
  }
  const v = parseInt(m.text, 8);
  if (v > 0o777) {
    d.push(
      error(m.span, "invalid-mode", `mode ${m.text} is above 0777`, {
        hint: "only read, write and manage bits (0777) apply to a network",
      }),
    );
  }
}

/** Taps and grabs: ports, addresses, MTU; too many members for the ports. */
function checkMembers(n: NetworkDecl, lim: NetLimits, portsOk: boolean, d: Diagnostic[]): void {
  // Members by port: most networks have at most one member that names its
  // port, so a map is made only from the second on.
  let first: TapDecl | GrabDecl | undefined;
  let taken: Map<number, TapDecl | GrabDecl> | undefined;
  const hint = () => `network '${lim.name}' has ${lim.ports} ports`;
  const members: (TapDecl | GrabDecl)[] = n.grabs.length ? [...n.taps, ...n.grabs] : n.taps;
  for (const m of members) {
    if (m.port && portsOk) {
      const p = m.port.value;
      const code = p.value > lim.ports ? "port-beyond-ports" : "out-of-range";
      if (inRange(d, p, 1, lim.ports, "port", hint, code)) {
        const prev = taken
          ? taken.get(p.value)
          : first !== undefined && first.port!.value.value === p.value
          ? first
          : undefined;
        if (prev) {
          const what = `${prev.kind} '${prev.name.text}'`;
          d.push(
            error(p.span, "port-taken", `port ${p.value} is already taken by ${what}`, {
              hint: "give each member its own port, or leave it out to take the first free one",
              related: [related(prev.port!.value.span, `${what} is attached here`)],
            }),
          );
        } else if (first === undefined) first = m;
        else {
          taken ??= new Map([[first.port!.value.value, first]]);
          taken.set(p.value, m);
        }
      }
    }
    if (m.kind === "tap") checkTap(m, lim, n.mtu !== undefined, d);
  }
  const count = members.length + n.uplinks.length;
  if (portsOk && count > lim.ports) {
    d.push(
      error(
        n.ports?.value.span ?? n.name.span,
        "too-many-members",
        `network '${lim.name}' has ${count} taps, grabs and uplinks but ${lim.ports} ports`,
        {
          hint: `raise ports to at least ${count}`,
        },
      ),
    );
  }
}

const TAP_ADDRESS = { prefix: "required", multicast: "forbidden" } as const;

function checkTap(t: TapDecl, lim: NetLimits, netMtuSet: boolean, d: Diagnostic[]): void {
  let seen: Map<string, Span> | undefined;
  for (const a of t.addresses) {
    const c = checkAddress(d, a, "tap address", TAP_ADDRESS);
    if (!c || t.addresses.length === 1) continue;
    seen ??= new Map();
    const prev = seen.get(a.text);
    if (prev) {
      d.push(
        error(a.span, "duplicate-address", `address ${a.text} is given twice`, {
          related: [related(prev, "first given here")],
        }),
      );
    } else seen.set(a.text, a.span);
  }
  if (t.mtu) {
    if (inRange(d, t.mtu.value, 68, 9216, "tap mtu")) {
      const frame = t.mtu.value.value + ETHERNET_HEADER;
      if (frame > lim.mtu) {
        d.push(
          error(
            t.mtu.value.span,
            "mtu-exceeds-network",
            `tap mtu ${t.mtu.value.value} makes ${frame}-byte frames; network '${lim.name}' carries at most ${lim.mtu}`,
            {
              hint: `lower it to ${
                lim.mtu - ETHERNET_HEADER
              }, or raise the network's mtu to ${frame}`,
            },
          ),
        );
      }
    }
  } else if (netMtuSet && DEFAULTS.tapMtu + ETHERNET_HEADER > lim.mtu) {
    d.push(
      warning(
        t.name.span,
        "mtu-exceeds-network",
        `tap '${t.name.text}' keeps the default mtu ${DEFAULTS.tapMtu}, too large for network '${lim.name}' (mtu ${lim.mtu})`,
        { hint: `add 'mtu ${lim.mtu - ETHERNET_HEADER}' to the tap` },
      ),
    );
  }
}
