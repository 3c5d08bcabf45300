/**
 * The loader: a root file and everything it includes, read in order, with
 * variables expanded.
 *
 * Statements run top to bottom. `let` defines a variable from that point on,
 * in this file and in files included after it; an included file's variables
 * are visible to the includer after the `include` (as if its text were
 * pasted there). Variables cannot be redefined. `include` patterns are
 * relative to the including file and expanded in sorted order; including a
 * file that is being loaded is a cycle, and including a file twice is an
 * error too, since its declarations would be duplicates.
 *
 * @module
 */
import { posix } from "node:path";
import type * as A from "./ast.ts";
import { type Diagnostic, error, fileStart, related, type Span, warning } from "./diagnostics.ts";
import { expandGlob, type FileSource, isGlob } from "./files.ts";
import { parseFile } from "./parse_file.ts";
import { didYouMean } from "./suggest.ts";

/** A declaration and the host block it sits in, if any. */
export interface Placed {
  decl: A.Decl;
  host?: A.Text;
}

/** Everything read from a root file and its includes. */
export interface Loaded {
  decls: Placed[];
  backend?: A.BackendStmt;
  /** Host names declared, with the first place each is declared. */
  hosts: Map<string, Span>;
  diagnostics: Diagnostic[];
  /** Texts of every file read, by displayed path, in the order read. */
  sources: Map<string, string>;
}

interface Variable {
  value: string;
  at: Span;
  used: boolean;
}

class Loader {
  readonly decls: Placed[] = [];
  backend?: A.BackendStmt;
  readonly hosts = new Map<string, Span>();
  readonly diagnostics: Diagnostic[] = [];
  readonly sources = new Map<string, string>();
  private readonly vars = new Map<string, Variable>();
  /** Files being loaded (identity -> displayed path), innermost last. */
  private readonly stack: { id: string; path: string }[] = [];
  /** Files already loaded: identity -> where they were included from. */
  private readonly seen = new Map<string, Span | undefined>();
  /** Variables defined anywhere, for "defined later" hints. */
  private readonly laterDefs = new Map<string, Span>();

  constructor(private readonly files: FileSource) {}

  /** Load `path` (displayed as given); `text` skips reading the root from `files`. */
  loadRoot(path: string, text?: string): void {
    this.load(path, undefined, text);
    for (const [name, v] of this.vars) {
      if (!v.used) {
        this.diagnostics.push(
          warning(v.at, "unused-variable", `variable '${name}' is never used`, {
            hint: 'remove it, or use it as "${' + name + '}"',
          }),
        );
      }
    }
  }

  private load(path: string, from: Span | undefined, given?: string): void {
    let text = given;
    if (text === undefined) {
      try {
        text = this.files.read(path);
      } catch (e) {
        const why = e instanceof Error ? e.message : String(e);
        const at = from ?? fileStart(path);
        this.diagnostics.push(
          error(at, from ? "include-not-found" : "file-not-found", `cannot read '${path}': ${why}`),
        );
        return;
      }
    }
    const id = this.files.identity(path) ?? path;
    this.seen.set(id, from);
    this.sources.set(path, text);
    const parsed = parseFile(text, path);
    this.diagnostics.push(...parsed.diagnostics);
    const ast = parsed.ast;
    this.stack.push({ id, path });
    this.prescanLets(ast);
    let k = 0;
    for (let i = 0; i < ast.statements.length; i++) {
      // Expand the strings of this statement with the variables defined so far.
      while (k < ast.interpolated.length && ast.interpolated[k].index <= i) {
        this.expand(ast.interpolated[k++].text);
      }
      this.statement(ast.statements[i], path);
    }
    while (k < ast.interpolated.length) this.expand(ast.interpolated[k++].text);
    this.stack.pop();
  }

  private prescanLets(ast: A.FileAst): void {
    for (const s of ast.statements) {
      if (s.kind === "let" && !this.laterDefs.has(s.name.text)) {
        this.laterDefs.set(s.name.text, s.at);
      }
    }
  }

  private statement(s: A.TopStatement, path: string): void {
    switch (s.kind) {
      case "let": {
        const prev = this.vars.get(s.name.text);
        if (prev) {
          this.diagnostics.push(
            error(
              s.name.span,
              "duplicate-variable",
              `variable '${s.name.text}' is already defined`,
              {
                hint: "variables cannot be redefined; use another name",
                related: [related(prev.at, "first defined here")],
              },
            ),
          );
        } else {
          this.vars.set(s.name.text, { value: s.value.text, at: s.name.span, used: false });
        }
        return;
      }
      case "backend":
        if (this.backend) {
          this.diagnostics.push(
            error(s.at, "duplicate-setting", "backend is set more than once", {
              hint: "keep one",
              related: [related(this.backend.at, "first set here")],
            }),
          );
        } else this.backend = s;
        return;
      case "include":
        this.include(s, path);
        return;
      case "host":
        if (!this.hosts.has(s.name.text)) this.hosts.set(s.name.text, s.name.span);
        for (const decl of s.decls) this.decls.push({ decl, host: s.name });
        return;
      default:
        this.decls.push({ decl: s });
    }
  }

  private include(s: A.IncludeStmt, path: string): void {
    const pattern = s.pattern.text;
    if (pattern === "") {
      this.diagnostics.push(error(s.pattern.span, "include-not-found", "empty include path"));
      return;
    }
    const base = posix.dirname(path);
    const matches = expandGlob(this.files, base, pattern);
    if (matches.length === 0) {
      this.diagnostics.push(
        warning(s.pattern.span, "include-no-match", `no file matches '${pattern}'`, {
          hint: `patterns are relative to ${base === "." ? "the current directory" : `'${base}'`}`,
        }),
      );
      return;
    }
    for (const m of matches) {
      const id = this.files.identity(m);
      if (id !== undefined) {
        const open = this.stack.findIndex((f) => f.id === id);
        if (open !== -1) {
          const cycle = [...this.stack.slice(open).map((f) => f.path), m].join(" -> ");
          this.diagnostics.push(
            error(s.pattern.span, "include-cycle", `include cycle: ${cycle}`, {
              hint: "a file cannot include itself, directly or through others",
            }),
          );
          continue;
        }
        if (this.seen.has(id)) {
          const first = this.seen.get(id);
          this.diagnostics.push(
            error(s.pattern.span, "include-twice", `'${m}' is already included`, {
              hint: isGlob(pattern)
                ? "narrow the pattern so each file is included once"
                : "remove one include",
              related: first ? [related(first, "first included here")] : undefined,
            }),
          );
          continue;
        }
      }
      this.load(m, s.pattern.span);
    }
  }

  /** Replace `${name}` parts by their values; report unknown variables. */
  private expand(t: A.Text): void {
    if (!t.parts) return;
    let out = "";
    for (const p of t.parts) {
      if (typeof p === "string") {
        out += p;
        continue;
      }
      const v = this.vars.get(p.name);
      if (v) {
        v.used = true;
        out += v.value;
        continue;
      }
      const later = this.laterDefs.get(p.name);
      const hint = later
        ? `'${p.name}' is defined later (${later.file}:${later.start.line}); define it before use`
        : didYouMean(p.name, this.vars.keys()) ?? "define it first: let " + p.name + ' = "..."';
      this.diagnostics.push(
        error(p.span, "undefined-variable", `undefined variable '${p.name}'`, { hint }),
      );
      t.bad = true;
    }
    t.text = out;
  }

  result(): Loaded {
    return {
      decls: this.decls,
      backend: this.backend,
      hosts: this.hosts,
      diagnostics: this.diagnostics,
      sources: this.sources,
    };
  }
}

/**
 * Load `path` and its includes from `files`. When `text` is given it is the
 * root file's text (nothing is read for the root).
 */
export function loadFiles(files: FileSource, path: string, text?: string): Loaded {
  const l = new Loader(files);
  l.loadRoot(path, text);
  return l.result();
}
