/**
 * Filesystem paths of networks and endpoints.
 *
 * @module
 */
import { posix } from "node:path";
import type { Text } from "../ast.ts";
import { type Diagnostic, error } from "../diagnostics.ts";
import { PATH_MAX_BYTES } from "../defaults.ts";
import { byteLength } from "./values.ts";

/** A path with `//`, `/./`, `..` and a trailing `/` resolved. */
export function normalPath(p: string): string {
  if (p === "") return p;
  // Most paths are already normal.
  if (!/\/\/|\/\.|\/$/.test(p)) return p;
  const n = posix.normalize(p);
  return n.length > 1 && n.endsWith("/") ? n.slice(0, -1) : n;
}

/** An absolute path that fits a Unix socket address. */
export function checkPath(d: Diagnostic[], t: Text, what: string): boolean {
  if (t.bad) return false;
  const p = t.text;
  if (!p.startsWith("/")) {
    const rest = p.replace(/^(\.\/)+/, "");
    d.push(
      error(t.span, "relative-path", `${what} '${p}' is relative`, {
        hint: rest.includes("/") && !rest.startsWith("..")
          ? `did you mean "/${rest}"?`
          : `write an absolute path, e.g. "/run/ipn/${rest.replace(/^[./]+/, "") || "lab"}"`,
      }),
    );
    return false;
  }
  if (p.includes("\0")) {
    d.push(error(t.span, "invalid-path", `${what} contains a NUL character`));
    return false;
  }
  const n = normalPath(p);
  if (n === "/") {
    d.push(error(t.span, "invalid-path", `${what} cannot be '/'`));
    return false;
  }
  const len = byteLength(n);
  if (len > PATH_MAX_BYTES) {
    d.push(
      error(
        t.span,
        "path-too-long",
        `${what} is ${len} bytes; a Unix socket path holds at most ${PATH_MAX_BYTES}`,
        { hint: "use a shorter directory, e.g. under /run/ipn" },
      ),
    );
    return false;
  }
  return true;
}
