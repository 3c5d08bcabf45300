/**
 * Rendering of a computed {@link Diff}: the human view (like Terraform's
 * plan) and the machine view (JSON). Nothing here decides what changes.
 *
 * @module
 */
import type { AttrChange, Change, Diff } from "./diff.ts";
import { flatten } from "./diff.ts";

/** Options of {@link renderDiff}. */
export interface RenderOptions {
  color: boolean;
}

const SGR = {
  reset: "\x1b[0m",
  green: "\x1b[32m",
  yellow: "\x1b[33m",
  red: "\x1b[31m",
  bold: "\x1b[1m",
  dim: "\x1b[2m",
};

const SIGN: Record<Exclude<Change["action"], "noop">, string> = {
  create: "+",
  update: "~",
  replace: "-/+",
  delete: "-",
};

const VERB: Record<Exclude<Change["action"], "noop">, string> = {
  create: "will be created",
  update: "will be updated in place",
  replace: "must be replaced",
  delete: "will be deleted",
};

function isRange(v: unknown): v is { from: number; to: number } {
  return typeof v === "object" && v !== null && "from" in v && "to" in v &&
    Object.keys(v).length === 2;
}

/** One attribute value as the plan shows it. */
export function formatValue(path: string, v: unknown): string {
  if (v === undefined) return "(none)";
  if (typeof v === "number" && /(^|\.)mode$/.test(path)) {
    return "0" + v.toString(8).padStart(3, "0");
  }
  if (typeof v === "string") return JSON.stringify(v);
  if (Array.isArray(v)) {
    if (v.length > 0 && v.every(isRange)) {
      return v.map((r) => (r.from === r.to ? `${r.from}` : `${r.from}-${r.to}`)).join(",");
    }
    return "[" + v.map((x) => formatValue("", x)).join(", ") + "]";
  }
  if (typeof v === "object" && v !== null) {
    const parts = Object.entries(v).map(([k, x]) => `${k} = ${formatValue(k, x)}`);
    return "{ " + parts.join(", ") + " }";
  }
  return String(v);
}

function paint(on: boolean, code: string, s: string): string {
  return on ? code + s + SGR.reset : s;
}

function colorOf(action: Change["action"]): string {
  return action === "create"
    ? SGR.green
    : action === "delete"
    ? SGR.red
    : action === "replace"
    ? SGR.red
    : SGR.yellow;
}

function attrLines(c: Change, color: boolean): string[] {
  const lines: string[] = [];
  if (c.action === "create" && c.after) {
    const all = flatten(c.after);
    const width = Math.max(...[...all.keys()].map((k) => k.length));
    for (const [path, v] of all) {
      lines.push(
        `      ${paint(color, SGR.green, "+")} ${path.padEnd(width)} = ${formatValue(path, v)}`,
      );
    }
    return lines;
  }
  if (c.action === "delete") return lines;
  const width = Math.max(0, ...c.attrs.map((a) => a.path.length));
  for (const a of c.attrs) lines.push(attrLine(a, width, color));
  return lines;
}

function attrLine(a: AttrChange, width: number, color: boolean): string {
  const sign = a.before === undefined ? "+" : a.after === undefined ? "-" : "~";
  const code = sign === "+" ? SGR.green : sign === "-" ? SGR.red : SGR.yellow;
  const value = a.before === undefined
    ? formatValue(a.path, a.after)
    : a.after === undefined
    ? formatValue(a.path, a.before)
    : `${formatValue(a.path, a.before)} -> ${formatValue(a.path, a.after)}`;
  const note = a.forcesReplacement ? paint(color, SGR.red, "  # forces replacement") : "";
  return `      ${paint(color, code, sign)} ${a.path.padEnd(width)} = ${value}${note}`;
}

/** The human-readable plan. */
export function renderDiff(d: Diff, opts: RenderOptions): string {
  const { color } = opts;
  const out: string[] = [];
  const shown = d.changes.filter((c) => c.action !== "noop");
  const drifted = d.changes.filter((c) => c.drift);
  if (drifted.length) {
    out.push(paint(color, SGR.bold, "Drift: objects changed outside ipn since the last apply:"));
    for (const c of drifted) out.push(`  ${c.kind}.${c.name}: ${c.drift}`);
    out.push("");
  }
  if (shown.length === 0) {
    out.push("No changes. The live system matches the configuration.");
    return out.join("\n") + "\n";
  }
  out.push("ipn will perform the following actions:", "");
  for (const c of shown) {
    const action = c.action as Exclude<Change["action"], "noop">;
    const head = `${c.kind}.${c.name} ${VERB[action]}`;
    out.push(`  ${paint(color, SGR.bold, "# " + head)}`);
    if (c.reason) out.push(`  ${paint(color, SGR.dim, "# " + c.reason)}`);
    const sign = paint(color, colorOf(action), SIGN[action].padStart(3));
    const body = attrLines(c, color);
    if (body.length === 0) {
      out.push(`${sign} ${c.kind} ${JSON.stringify(c.name)}`, "");
      continue;
    }
    out.push(`${sign} ${c.kind} ${JSON.stringify(c.name)} {`, ...body, "    }", "");
  }
  out.push(summaryLine(d));
  return out.join("\n") + "\n";
}

/** `Plan: 1 to create, 0 to update, 0 to replace, 0 to delete.` */
export function summaryLine(d: Diff): string {
  const s = d.summary;
  return `Plan: ${s.create} to create, ${s.update} to update, ${s.replace} to replace, ${s.delete} to delete.`;
}

/** Version of the JSON rendering. */
export const PLAN_JSON_VERSION = 1;

/** The machine-readable plan: the same content, stable field order. */
export function diffToJson(d: Diff): unknown {
  return {
    format_version: PLAN_JSON_VERSION,
    summary: d.summary,
    changes: d.changes.filter((c) => c.action !== "noop" || c.drift).map((c) => ({
      kind: c.kind,
      name: c.name,
      action: c.action,
      ...(c.reason ? { reason: c.reason } : {}),
      ...(c.drift ? { drift: c.drift } : {}),
      attributes: c.action === "create" && c.after
        ? [...flatten(c.after)].map(([path, after]) => ({ path, after }))
        : c.attrs.map((a) => ({
          path: a.path,
          ...(a.before !== undefined ? { before: a.before } : {}),
          ...(a.after !== undefined ? { after: a.after } : {}),
          ...(a.forcesReplacement ? { forces_replacement: true } : {}),
        })),
    })),
  };
}
