/**
 * Validate a Plan in place, without copying it.
 *
 * zod's parse builds a new object for every object and array it checks; on
 * a 1 MB file that is about 40 MB of garbage and a third of the time spent
 * building the Plan. The Plan the language builds is fresh and typed, so it
 * is checked where it stands instead, by a checker compiled once from
 * `z.toJSONSchema(Plan)`: the zod schema stays the one source of truth, and
 * this is the same JSON Schema published as docs/plan.schema.json.
 *
 * The checker accepts a value only when zod would accept it AND return an
 * equal value: every constraint of the schema (types, integers, ranges,
 * lengths, patterns, constants, enums, unions, required keys) holds, there
 * is no key the schema does not name (zod would drop it), and keys come in
 * the schema's order (zod's output follows it, and the order shows in JSON
 * output). Whatever it refuses goes through zod (see plan.ts), so results
 * and messages are zod's whenever this checker says no.
 *
 * It understands exactly the keywords zod emits for the Plan and throws on
 * any other, so a schema change it cannot honour fails loudly in tests.
 *
 * @module
 */
import { planJsonSchema } from "./schema.ts";

/** Where and why a value breaks the schema. */
export interface Failure {
  path: (string | number)[];
  message: string;
}

/** A compiled check: undefined when the value conforms. */
export type Checker = (v: unknown) => Failure | undefined;

/** The JSON Schema keywords the checker understands. */
interface Schema {
  $schema?: string;
  type?: "object" | "array" | "string" | "number" | "integer" | "boolean";
  properties?: Record<string, Schema>;
  required?: string[];
  additionalProperties?: boolean;
  items?: Schema;
  minItems?: number;
  maxItems?: number;
  const?: unknown;
  enum?: unknown[];
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  format?: string;
  oneOf?: Schema[];
  anyOf?: Schema[];
  description?: string;
}

const KNOWN = new Set([
  "$schema",
  "type",
  "properties",
  "required",
  "additionalProperties",
  "items",
  "minItems",
  "maxItems",
  "const",
  "enum",
  "minimum",
  "maximum",
  "exclusiveMinimum",
  "exclusiveMaximum",
  "minLength",
  "maxLength",
  "pattern",
  "format",
  "oneOf",
  "anyOf",
  "description",
]);

/** Formats zod emits alongside a `pattern` that already enforces them. */
const PATTERN_FORMATS = new Set(["starts_with", "ends_with", "includes", "regex"]);

function fail(message: string): Failure {
  return { path: [], message };
}

/** Prefix a failure's path with the key it was found under (only on failure). */
function under(key: string | number, f: Failure): Failure {
  f.path.unshift(key);
  return f;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Compile `schema` into a checker; throws on a keyword it does not understand. */
export function compileChecker(schema: Schema): Checker {
  for (const k of Object.keys(schema)) {
    if (!KNOWN.has(k)) throw new Error(`plan checker: unsupported JSON Schema keyword '${k}'`);
  }
  if (schema.format !== undefined) {
    if (!PATTERN_FORMATS.has(schema.format) || schema.pattern === undefined) {
      throw new Error(`plan checker: unsupported format '${schema.format}'`);
    }
  }
  const parts: Checker[] = [];
  const alts = schema.oneOf ?? schema.anyOf;
  if (alts) parts.push(union(alts, schema.oneOf !== undefined));
  switch (schema.type) {
    case undefined:
      break;
    case "object":
      parts.push(object(schema));
      break;
    case "array":
      parts.push(array(schema));
      break;
    case "string":
      parts.push(string(schema));
      break;
    case "number":
    case "integer":
      parts.push(number(schema, schema.type === "integer"));
      break;
    case "boolean":
      parts.push((v) => typeof v === "boolean" ? undefined : fail("expected a boolean"));
      break;
    default:
      throw new Error(`plan checker: unsupported type '${schema.type}'`);
  }
  const rest = all(parts);
  if ("const" in schema || schema.enum) {
    const values = "const" in schema ? [schema.const] : schema.enum!;
    // A value equal to one of these is valid when that one passes the rest
    // of the schema: then comparing is the whole check.
    const ok = values.filter((x) => rest(x) === undefined);
    const what = `expected ${values.map((x) => JSON.stringify(x)).join(" or ")}`;
    if (ok.length === 1) {
      const c = ok[0];
      return (v) => v === c ? undefined : fail(what);
    }
    const set = new Set(ok);
    return (v) => set.has(v) ? undefined : fail(what);
  }
  return rest;
}

function all(parts: Checker[]): Checker {
  if (parts.length === 0) return () => undefined;
  if (parts.length === 1) return parts[0];
  return (v) => {
    for (const p of parts) {
      const f = p(v);
      if (f) return f;
    }
    return undefined;
  };
}

function number(s: Schema, integer: boolean): Checker {
  const min = s.minimum ?? -Infinity;
  const max = s.maximum ?? Infinity;
  const xmin = s.exclusiveMinimum ?? -Infinity;
  const xmax = s.exclusiveMaximum ?? Infinity;
  return (v) => {
    // zod refuses NaN and infinities as numbers.
    if (typeof v !== "number" || !Number.isFinite(v)) return fail("expected a finite number");
    if (integer && !Number.isInteger(v)) return fail("expected an integer");
    if (v < min || v > max || v <= xmin || v >= xmax) return fail(`${v} is out of range`);
    return undefined;
  };
}

function string(s: Schema): Checker {
  // Lengths in UTF-16 code units, as zod counts them.
  const min = s.minLength ?? 0;
  const max = s.maxLength ?? Infinity;
  // No flags: zod tests its regexes as written.
  const re = s.pattern === undefined ? undefined : new RegExp(s.pattern);
  return (v) => {
    if (typeof v !== "string") return fail("expected a string");
    if (v.length < min || v.length > max) return fail("string length out of range");
    if (re && !re.test(v)) return fail(`does not match ${re.source}`);
    return undefined;
  };
}

function array(s: Schema): Checker {
  const item = s.items ? compileChecker(s.items) : undefined;
  const min = s.minItems ?? 0;
  const max = s.maxItems ?? Infinity;
  return (v) => {
    if (!Array.isArray(v)) return fail("expected an array");
    if (v.length < min || v.length > max) return fail("array length out of range");
    if (item) {
      for (let i = 0; i < v.length; i++) {
        const f = item(v[i]);
        if (f) return under(i, f);
      }
    }
    return undefined;
  };
}

function object(s: Schema): Checker {
  const props = s.properties ?? {};
  const keys = Object.keys(props);
  const checks = keys.map((k) => compileChecker(props[k]));
  const required = new Set(s.required ?? []);
  const need = keys.map((k) => required.has(k));
  for (const r of required) {
    if (!(r in props)) throw new Error(`plan checker: required key '${r}' has no schema`);
  }
  // zod drops keys its shape does not name (so its output would differ),
  // unless told to keep them: that would show here as something else than false.
  if (s.additionalProperties !== undefined && s.additionalProperties !== false) {
    throw new Error("plan checker: additionalProperties must be false or absent");
  }
  const known = new Set(keys);
  /** The first required key in keys[from..to), if any. */
  const missing = (from: number, to: number): Failure | undefined => {
    for (let j = from; j < to; j++) if (need[j]) return under(keys[j], fail("missing"));
    return undefined;
  };
  return (v) => {
    if (!isObject(v)) return fail("expected an object");
    // One pass over the value's own keys, which must follow the schema's
    // order (the order of zod's output): `next` walks the schema's keys.
    let next = 0;
    for (const k in v) {
      let j = next;
      while (j < keys.length && keys[j] !== k) j++;
      if (j === keys.length) {
        return under(k, fail(known.has(k) ? "key out of the schema's order" : "unknown key"));
      }
      const skipped = missing(next, j);
      if (skipped) return skipped;
      next = j + 1;
      const x = v[k];
      // zod treats a key holding undefined as absent.
      if (x === undefined) {
        if (need[j]) return under(k, fail("missing"));
        continue;
      }
      const f = checks[j](x);
      if (f) return under(k, f);
    }
    return missing(next, keys.length);
  };
}

/**
 * `oneOf` / `anyOf`. When every alternative is an object told apart by a
 * constant property (zod's discriminated unions), the value's own constant
 * picks the one alternative that can match; otherwise they are tried in turn.
 */
function union(alts: Schema[], exactlyOne: boolean): Checker {
  const checks = alts.map(compileChecker);
  const tag = discriminator(alts);
  if (tag) {
    const byValue = new Map<unknown, Checker>();
    alts.forEach((a, i) => byValue.set(a.properties![tag].const, checks[i]));
    return (v) => {
      const c = isObject(v) ? byValue.get(v[tag]) : undefined;
      return c ? c(v) : fail(`no alternative has this '${tag}'`);
    };
  }
  return (v) => {
    let matched = 0;
    for (const c of checks) {
      if (c(v) === undefined) {
        if (!exactlyOne) return undefined;
        matched++;
      }
    }
    return matched === 1 ? undefined : fail(`matches ${matched} alternatives`);
  };
}

/** A property every alternative requires with a distinct constant, if any. */
function discriminator(alts: Schema[]): string | undefined {
  const first = alts[0];
  if (first.type !== "object" || !first.properties) return undefined;
  for (const key of Object.keys(first.properties)) {
    const seen = new Set<unknown>();
    const ok = alts.every((a) => {
      const p = a.type === "object" ? a.properties?.[key] : undefined;
      if (!p || !("const" in p) || !a.required?.includes(key) || seen.has(p.const)) return false;
      seen.add(p.const);
      return true;
    });
    if (ok) return key;
  }
  return undefined;
}

let planChecker: Checker | undefined;

/** Check a whole Plan (the checker is compiled on first use). */
export function checkPlan(plan: unknown): Failure | undefined {
  planChecker ??= compileChecker(planJsonSchema() as Schema);
  return planChecker(plan);
}
