/**
 * Where the loader reads files from: the disk, or a map of texts (for
 * `parseSource` and tests). Both are synchronous so that parsing a string
 * stays synchronous. Globs (`*`, `?`, `[...]`, `**`) are expanded here.
 *
 * @module
 */
import { posix } from "node:path";

/** What the loader needs from a file system. */
export interface FileSource {
  /** The text of a file; throws an Error with a readable message when it cannot. */
  read(path: string): string;
  /** Entries of a directory, or [] when it cannot be listed. */
  list(dir: string): { name: string; dir: boolean }[];
  /** A key identifying the file itself (for cycle detection), or undefined if missing. */
  identity(path: string): string | undefined;
  /** True when `path` names a file (not a directory). */
  isFile(path: string): boolean;
}

/** Files on disk. */
export const diskFiles: FileSource = {
  read(path) {
    try {
      const info = Deno.statSync(path);
      if (info.isDirectory) throw new Error("is a directory");
      return Deno.readTextFileSync(path);
    } catch (e) {
      if (e instanceof Deno.errors.NotFound) throw new Error("no such file");
      if (e instanceof Deno.errors.PermissionDenied) throw new Error("permission denied");
      throw new Error(e instanceof Error ? e.message.replace(/:.*$/, "") : String(e));
    }
  },
  list(dir) {
    try {
      return [...Deno.readDirSync(dir)].map((e) => ({
        name: e.name,
        dir: e.isDirectory || (e.isSymlink && isDir(posix.join(dir, e.name))),
      }));
    } catch {
      return [];
    }
  },
  identity(path) {
    try {
      return Deno.realPathSync(path);
    } catch {
      return undefined;
    }
  },
  isFile(path) {
    try {
      return Deno.statSync(path).isFile;
    } catch {
      return false;
    }
  },
};

function isDir(p: string): boolean {
  try {
    return Deno.statSync(p).isDirectory;
  } catch {
    return false;
  }
}

/** Files held in memory, keyed by normalised path. */
export function memoryFiles(files: Map<string, string> | Record<string, string>): FileSource {
  const m = new Map<string, string>();
  const entries = files instanceof Map ? files.entries() : Object.entries(files);
  for (const [k, v] of entries) m.set(posix.normalize(k), v);
  return {
    read(path) {
      const t = m.get(posix.normalize(path));
      if (t === undefined) throw new Error("no such file");
      return t;
    },
    list(dir) {
      const d = posix.normalize(dir);
      const prefix = d === "." ? "" : d.endsWith("/") ? d : d + "/";
      const out = new Map<string, boolean>();
      for (const k of m.keys()) {
        if (!k.startsWith(prefix)) continue;
        const rest = k.slice(prefix.length);
        const slash = rest.indexOf("/");
        if (slash === -1) out.set(rest, false);
        else out.set(rest.slice(0, slash), true);
      }
      return [...out].map(([name, dir]) => ({ name, dir }));
    },
    identity(path) {
      const p = posix.normalize(path);
      return m.has(p) ? p : undefined;
    },
    isFile(path) {
      return m.has(posix.normalize(path));
    },
  };
}

/** True when a pattern has glob characters. */
export function isGlob(pattern: string): boolean {
  return /[*?[]/.test(pattern);
}

function segmentRegex(seg: string): RegExp {
  let re = "";
  for (let i = 0; i < seg.length; i++) {
    const c = seg[i];
    if (c === "*") re += "[^/]*";
    else if (c === "?") re += "[^/]";
    else if (c === "[") {
      const end = seg.indexOf("]", i + 2);
      if (end === -1) re += "\\[";
      else {
        let cls = seg.slice(i + 1, end).replace(/\\/g, "\\\\");
        if (cls.startsWith("!")) cls = "^" + cls.slice(1);
        re += `[${cls}]`;
        i = end;
      }
    } else re += c.replace(/[.+^${}()|\\]/g, "\\$&");
  }
  return new RegExp(`^${re}$`);
}

/**
 * Expand `pattern` relative to `base` into matching files, sorted by path
 * (code unit order) so that the result never depends on the directory order.
 * Names starting with '.' match only a pattern segment that starts with '.'.
 */
export function expandGlob(files: FileSource, base: string, pattern: string): string[] {
  const absolute = pattern.startsWith("/");
  const segs = pattern.split("/").filter((s) => s !== "" && s !== ".");
  let current: { path: string; dir: boolean }[] = [{ path: absolute ? "/" : base, dir: true }];
  for (let i = 0; i < segs.length; i++) {
    const seg = segs[i];
    const last = i === segs.length - 1;
    const next: { path: string; dir: boolean }[] = [];
    if (seg === "**") {
      // Zero or more directories.
      const stack = current.filter((c) => c.dir);
      const seen = new Set<string>();
      while (stack.length) {
        const c = stack.pop()!;
        if (seen.has(c.path)) continue;
        seen.add(c.path);
        next.push(c);
        for (const e of files.list(c.path)) {
          if (e.dir && !e.name.startsWith(".")) {
            stack.push({ path: posix.join(c.path, e.name), dir: true });
          }
        }
      }
    } else if (!isGlob(seg)) {
      for (const c of current) if (c.dir) next.push({ path: posix.join(c.path, seg), dir: !last });
    } else {
      const re = segmentRegex(seg);
      for (const c of current) {
        if (!c.dir) continue;
        for (const e of files.list(c.path)) {
          if (e.name.startsWith(".") && !seg.startsWith(".")) continue;
          if (re.test(e.name)) next.push({ path: posix.join(c.path, e.name), dir: e.dir });
        }
      }
    }
    current = next;
  }
  // A glob only yields existing files; a literal path is returned as is
  // (and reported by the loader if it cannot be read).
  const glob = isGlob(pattern);
  const out = new Set<string>();
  for (const c of current) if (!glob || files.isFile(c.path)) out.add(c.path);
  return [...out].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}
