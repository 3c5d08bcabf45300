/**
 * `policy concast`: a key, a merge and a done condition; fields inside the
 * MTU and apart from each other; a merge function with the field it needs;
 * a receiver port within the network.
 *
 * @module
 */
import type { ConcastAst, FieldAst } from "../ast.ts";
import { type Diagnostic, error, related } from "../diagnostics.ts";
import { DEFAULTS, FIELD_WIDTH } from "../defaults.ts";
import type { NetLimits } from "./network.ts";
import { inRange } from "./values.ts";

const NEEDS_FIELD = new Set(["sum", "min", "max"]);
const NO_FIELD = new Set(["first", "last", "dedup"]);
const U32_MAX = 4294967295;

function fieldInMtu(f: FieldAst, what: string, lim: NetLimits, d: Diagnostic[]): boolean {
  const end = f.offset.value + FIELD_WIDTH[f.type];
  if (end <= lim.mtu) return true;
  d.push(
    error(
      f.span,
      "field-beyond-mtu",
      `${what} field ${f.type} at ${f.offset.text} ends at byte ${end}, beyond network '${lim.name}''s mtu ${lim.mtu}`,
      {
        hint: `fields must end within the largest message: offset at most ${
          lim.mtu - FIELD_WIDTH[f.type]
        }`,
      },
    ),
  );
  return false;
}

/** Check a concast policy against its network's limits. */
export function checkConcast(
  p: ConcastAst,
  lim: NetLimits,
  limitsOk: boolean,
  d: Diagnostic[],
): void {
  if (!p.recovered && (!p.key || !p.merge || !p.done)) {
    const missing: [unknown, string, string][] = [
      [p.key, "key", "key field u32 at 0"],
      [p.merge, "merge", "merge sum field u32 at 4"],
      [p.done, "done", "done after 8 or 100ms"],
    ];
    for (const [v, what, example] of missing) {
      if (v === undefined) {
        d.push(
          error(p.at, "missing-setting", `concast policy has no '${what}'`, {
            hint: `add e.g. '${example}'`,
          }),
        );
      }
    }
  }
  let keyOk = false;
  if (p.key && limitsOk) keyOk = fieldInMtu(p.key.value, "key", lim, d);
  const m = p.merge;
  const output = p.output?.value ?? DEFAULTS.output;
  if (m) {
    if (NEEDS_FIELD.has(m.fn) && !m.field) {
      d.push(
        error(
          m.fnSpan,
          "merge-needs-field",
          `merge ${m.fn} needs the field it ${m.fn === "sum" ? "adds up" : "compares"}`,
          {
            hint: `e.g. merge ${m.fn} field u32 at 4`,
          },
        ),
      );
    }
    if (NO_FIELD.has(m.fn) && m.field) {
      d.push(
        error(m.field.span, "merge-field-unused", `merge ${m.fn} takes no field`, {
          hint: `merge ${m.fn} keeps whole messages; remove the field`,
        }),
      );
    }
    if (m.fn === "count" && !m.field && output === "message") {
      d.push(
        error(
          m.fnSpan,
          "output-needs-field",
          "merge count with output message has nowhere to write the count",
          {
            hint: "add a field (merge count field u32 at 4) or use 'output summary'",
          },
        ),
      );
    }
    if (m.field && limitsOk && fieldInMtu(m.field, "merge", lim, d) && p.key && keyOk) {
      const k = p.key.value;
      const ka = k.offset.value;
      const kb = ka + FIELD_WIDTH[k.type];
      const ma = m.field.offset.value;
      const mb = ma + FIELD_WIDTH[m.field.type];
      if (ka < mb && ma < kb) {
        d.push(
          error(
            m.field.span,
            "field-overlap",
            `the merged field (bytes ${ma}-${mb - 1}) overlaps the key (bytes ${ka}-${kb - 1})`,
            {
              hint: "the merged value is written back into the message; keep it clear of the key",
              related: [related(k.span, "key declared here")],
            },
          ),
        );
      }
    }
  }
  if (p.done) {
    inRange(d, p.done.count, 1, U32_MAX, "done count");
    if (p.done.timeout) {
      const t = p.done.timeout;
      if (t.ms < 1 || t.ms > U32_MAX) {
        d.push(error(t.span, "out-of-range", `done time ${t.text} is outside 1ms..${U32_MAX}ms`));
      }
    }
  }
  if (p.receiver) {
    inRange(
      d,
      p.receiver.value,
      1,
      limitsOk ? lim.ports : 65535,
      "receiver port",
      () => `network '${lim.name}' has ${lim.ports} ports`,
      "port-beyond-ports",
    );
  }
}
