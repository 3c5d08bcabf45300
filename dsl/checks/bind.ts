/**
 * `bind`: how processes are selected (environment variable or fixed
 * device) and valid exceptions.
 *
 * @module
 */
import type { BindDecl } from "../ast.ts";
import { type Diagnostic, error } from "../diagnostics.ts";
import { checkAddress, checkIfName, rangesIn } from "./values.ts";

/** Check one bind policy. */
export function checkBind(b: BindDecl, d: Diagnostic[]): void {
  if (!b.env && !b.device && !b.recovered) {
    d.push(
      error(b.name.span, "missing-setting", `bind '${b.name.text}' has no 'when'`, {
        hint: "add 'when env ND' (the device comes from $ND) or 'when device eth1'",
      }),
    );
  }
  if (b.env && !/^[A-Za-z_][A-Za-z0-9_]*$/.test(b.env.value.text)) {
    d.push(
      error(
        b.env.value.span,
        "invalid-env",
        `'${b.env.value.text}' is not an environment variable name`,
        {
          hint: "use letters, digits and '_', e.g. ND",
        },
      ),
    );
  }
  if (b.device) checkIfName(d, b.device.value, "device");
  for (const e of b.excepts) {
    if (e.kind === "port") rangesIn(d, e.ports, 1, 65535, "port");
    if (e.kind === "address") {
      checkAddress(d, e.cidr, "except address", { prefix: "optional", noHostBits: true });
    }
  }
}
