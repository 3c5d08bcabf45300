/**
 * The grammar, as a Chevrotain CstParser with error recovery.
 *
 * Every block body also accepts an unknown or misplaced word as a statement
 * of its own (`unknown_network`, ...) and a stray value (`stray`), so that a
 * typo costs one located diagnostic, not a cascade, and parsing goes on to
 * find every other error in the same run. The parser is built once.
 *
 * @module
 */
import {
  type CstNode,
  CstParser,
  EOF,
  type IOrAlt,
  type IToken,
  tokenMatcher,
  type TokenType,
} from "./chevrotain.ts";
import {
  Address,
  AddressValue,
  allTokens,
  AnyValue,
  Comma,
  type Context,
  CONTEXTS,
  DoneValue,
  Duration,
  Equals,
  Ident,
  Int,
  Invalid,
  Keyword as K,
  LCurly,
  LetValue,
  Name,
  NameValue,
  Other,
  PortValue,
  PrincipalValue,
  RangeLit,
  RCurly,
  StringLit,
} from "./lexer.ts";
import { errorMessages } from "./parse_errors.ts";

/** Rules whose nodes are statements: one per line in canonical form. */
export const STATEMENT_RULES: ReadonlySet<string> = new Set([
  "letStatement",
  "backendStatement",
  "includeStatement",
  "hostBlock",
  "networkBlock",
  "rewriteBlock",
  "bindBlock",
  "endpointBlock",
  "pathStatement",
  "policyStatement",
  "portsStatement",
  "mtuStatement",
  "queueStatement",
  "deliveryStatement",
  "persistentStatement",
  "descriptionStatement",
  "accessBlock",
  "tapBlock",
  "grabBlock",
  "uplinkBlock",
  "vlanStatement",
  "trunkStatement",
  "ageingStatement",
  "keyStatement",
  "mergeStatement",
  "doneStatement",
  "outputStatement",
  "receiverStatement",
  "ownerStatement",
  "accessGroupStatement",
  "modeStatement",
  "addressStatement",
  "portStatement",
  "downStatement",
  "vniStatement",
  "groupStatement",
  "remoteStatement",
  "devStatement",
  "ttlStatement",
  "ifnameStatement",
  "fromStatement",
  "matchStatement",
  "toStatement",
  "whenStatement",
  "exceptStatement",
  "inetStatement",
  "inet6Statement",
  "ipnStatement",
  "stray",
  ...CONTEXTS.map((c) => `unknown_${c}`),
]);

/** Keywords of statements only allowed at the top level. */
const TOP_ONLY = new Set([K.let, K.backend, K.include, K.host].map((t) => t.tokenTypeIdx!));
/** Keywords of declarations (top level or in a host block). */
const DECLARATIONS = new Set(
  [K.network, K.rewrite, K.bind, K.endpoint].map((t) => t.tokenTypeIdx!),
);

/** The repetition of statements in a block. */
type Statements = { GATE: () => boolean; DEF: () => void };

/** The parts of Chevrotain's tree builder that {@link IpnParser} replaces or calls. */
interface TreeBuilderState {
  CST_STACK: CstNode[];
  setInitialNodeLocation(node: CstNode): void;
}

class IpnParser extends CstParser {
  /**
   * `validate` runs Chevrotain's grammar checks (ambiguities, left
   * recursion...): they take a noticeable part of every command's start-up
   * for a grammar that only changes with the code, so only tests run them
   * (see {@link checkGrammar}).
   */
  constructor(validate = false) {
    super(allTokens, {
      recoveryEnabled: true,
      maxLookahead: 2,
      errorMessageProvider: errorMessages,
      skipValidations: !validate,
    });
    this.performSelfAnalysis();
  }

  /**
   * Chevrotain looks for a token to re-synchronise on in the follow sets of
   * the outermost rules first, so a typo deep in a block would resume at
   * the top level and swallow the rest of the block. Looking innermost first
   * keeps recovery local: the statement after the error parses as usual.
   */
  findReSyncTokenType(): TokenType {
    // deno-lint-ignore no-explicit-any
    const self = this as any;
    const sets: TokenType[][] = self.buildFullFollowKeyStack()
      .map((k: unknown) => self.getFollowSetFromFollowKey(k) ?? [])
      .reverse();
    for (let k = 1;; k++) {
      const tok = this.LA(k);
      for (const set of sets) {
        for (const tt of set) if (tokenMatcher(tok, tt)) return tt;
      }
    }
  }

  /**
   * Chevrotain makes each CST node's `children` with `Object.create(null)`,
   * a dictionary-mode object in V8: every child added is a hash insertion
   * and every node costs hundreds of bytes. A plain object literal keeps
   * fast properties; on a 1 MB file that halves the parser's time and
   * memory. (None of our rule or token names is an Object.prototype key.)
   * This replaces a method of Chevrotain's tree builder (version pinned in
   * package.json); tests/dsl/parser_test.ts fails if it stops taking effect.
   */
  cstInvocationStateUpdate(fullRuleName: string): void {
    const self = this as unknown as TreeBuilderState;
    const node: CstNode = { name: fullRuleName, children: {} };
    self.setInitialNodeLocation(node);
    self.CST_STACK.push(node);
  }

  // ---- shared pieces ---------------------------------------------------

  /** A comma-separated list of numbers and ranges: `1-8,12`. */
  portList = this.RULE("portList", () => {
    this.CONSUME(PortValue);
    this.MANY(() => {
      this.CONSUME(Comma);
      this.CONSUME2(PortValue);
    });
  });

  /** A balanced block of anything (the body of an unknown statement). */
  anyBlock = this.RULE("anyBlock", () => {
    this.CONSUME(LCurly);
    this.MANY(() => {
      this.OR([
        { ALT: () => this.SUBRULE(this.anyBlock) },
        { ALT: () => this.CONSUME(AnyValue) },
      ]);
    });
    this.CONSUME(RCurly);
  });

  /** A value where a statement should start. */
  stray = this.RULE("stray", () => {
    this.OR([
      { ALT: () => this.CONSUME(Int) },
      { ALT: () => this.CONSUME(RangeLit) },
      { ALT: () => this.CONSUME(Duration) },
      { ALT: () => this.CONSUME(Address) },
      { ALT: () => this.CONSUME(StringLit) },
      { ALT: () => this.CONSUME(Comma) },
      { ALT: () => this.CONSUME(Equals) },
      { ALT: () => this.CONSUME(Invalid) },
      { ALT: () => this.SUBRULE(this.anyBlock) },
    ]);
  });

  /** An unknown or misplaced word and what follows it on its line, plus any block. */
  unknown: Record<Context, () => CstNode> = Object.fromEntries(
    CONTEXTS.map((ctx) => [
      ctx,
      this.RULE(`unknown_${ctx}`, () => {
        const first = this.CONSUME(Other[ctx]);
        this.MANY({
          GATE: () => this.LA(1).startLine === first.startLine,
          DEF: () => this.CONSUME(AnyValue),
        });
        this.OPTION(() => this.SUBRULE(this.anyBlock));
      }),
    ]),
  ) as Record<Context, () => CstNode>;

  /** `{ statement* }`. */
  private body(statements: Statements) {
    this.CONSUME(LCurly);
    this.MANY(statements);
    this.CONSUME(RCurly);
  }

  /**
   * The statements of a block, as `alts` plus an unknown word or a stray
   * value in context `ctx`. Made once per block rule (the rule caches it) so
   * that parsing a block allocates no closures.
   */
  private statements(ctx: Context, alts: IOrAlt<unknown>[], host = false): Statements {
    const all = this.withFallback(ctx, alts);
    return {
      GATE: () => !this.startsTopLevel(host),
      DEF: () => this.OR(all),
    };
  }

  /**
   * A top-level keyword in the first column ends any block (a host block
   * only for the keywords it cannot hold): its '}' is missing. Ending the
   * block there reports that once and parses the rest of the file as
   * written, instead of swallowing it into the unclosed block.
   */
  private startsTopLevel(host: boolean): boolean {
    const t = this.LA(1);
    if (t.startColumn !== 1) return false;
    const idx = t.tokenTypeIdx;
    if (TOP_ONLY.has(idx)) return true;
    return !host && DECLARATIONS.has(idx);
  }

  private withFallback(ctx: Context, alts: IOrAlt<unknown>[]): IOrAlt<unknown>[] {
    return [
      ...alts,
      { ALT: () => this.SUBRULE(this.unknown[ctx]) },
      { ALT: () => this.SUBRULE(this.stray) },
    ];
  }

  // ---- top level -------------------------------------------------------

  file = this.RULE("file", () => {
    this.MANY(() => {
      this.OR(
        this.topAlts ??= this.withFallback("top", [
          { ALT: () => this.SUBRULE(this.letStatement) },
          { ALT: () => this.SUBRULE(this.backendStatement) },
          { ALT: () => this.SUBRULE(this.includeStatement) },
          { ALT: () => this.SUBRULE(this.hostBlock) },
          { ALT: () => this.SUBRULE(this.declaration) },
          { ALT: () => this.CONSUME(RCurly) },
        ]),
      );
    });
  });
  private topAlts?: IOrAlt<unknown>[];

  letStatement = this.RULE("letStatement", () => {
    this.CONSUME(K.let);
    this.CONSUME(Name);
    this.CONSUME(Equals);
    this.CONSUME(LetValue);
  });

  backendStatement = this.RULE("backendStatement", () => {
    this.CONSUME(K.backend);
    this.OR([
      { ALT: () => this.CONSUME(K.auto) },
      { ALT: () => this.CONSUME(K.user) },
      { ALT: () => this.CONSUME(K.kernel) },
    ]);
  });

  includeStatement = this.RULE("includeStatement", () => {
    this.CONSUME(K.include);
    this.CONSUME(StringLit);
  });

  hostBlock = this.RULE("hostBlock", () => {
    this.CONSUME(K.host);
    this.CONSUME(NameValue);
    this.body(
      this.hostBody ??= this.statements("host", [
        { ALT: () => this.SUBRULE(this.declaration) },
      ], true),
    );
  });
  private hostBody?: Statements;

  declaration = this.RULE("declaration", () => {
    this.OR(
      this.declAlts ??= [
        { ALT: () => this.SUBRULE(this.networkBlock) },
        { ALT: () => this.SUBRULE(this.rewriteBlock) },
        { ALT: () => this.SUBRULE(this.bindBlock) },
        { ALT: () => this.SUBRULE(this.endpointBlock) },
      ],
    );
  });
  private declAlts?: IOrAlt<unknown>[];

  // ---- network ---------------------------------------------------------

  networkBlock = this.RULE("networkBlock", () => {
    this.CONSUME(K.network);
    this.CONSUME(NameValue);
    this.body(
      this.netBody ??= this.statements("network", [
        { ALT: () => this.SUBRULE(this.pathStatement) },
        { ALT: () => this.SUBRULE(this.policyStatement) },
        { ALT: () => this.SUBRULE(this.portsStatement) },
        { ALT: () => this.SUBRULE(this.mtuStatement) },
        { ALT: () => this.SUBRULE(this.queueStatement) },
        { ALT: () => this.SUBRULE(this.deliveryStatement) },
        { ALT: () => this.SUBRULE(this.persistentStatement) },
        { ALT: () => this.SUBRULE(this.descriptionStatement) },
        { ALT: () => this.SUBRULE(this.accessBlock) },
        { ALT: () => this.SUBRULE(this.tapBlock) },
        { ALT: () => this.SUBRULE(this.grabBlock) },
        { ALT: () => this.SUBRULE(this.uplinkBlock) },
      ]),
    );
  });
  private netBody?: Statements;

  pathStatement = this.RULE("pathStatement", () => {
    this.CONSUME(K.path);
    this.CONSUME(StringLit);
  });

  policyStatement = this.RULE("policyStatement", () => {
    this.CONSUME(K.policy);
    this.OR([
      { ALT: () => this.CONSUME(K.hub) },
      {
        ALT: () => {
          this.CONSUME(K.switch);
          this.OPTION(() => this.SUBRULE(this.switchBlock));
        },
      },
      {
        ALT: () => {
          this.CONSUME(K.concast);
          this.SUBRULE(this.concastBlock);
        },
      },
    ]);
  });

  switchBlock = this.RULE("switchBlock", () => {
    this.body(
      this.switchBody ??= this.statements("switch", [
        { ALT: () => this.SUBRULE(this.vlanStatement) },
        { ALT: () => this.SUBRULE(this.trunkStatement) },
        { ALT: () => this.SUBRULE(this.ageingStatement) },
      ]),
    );
  });
  private switchBody?: Statements;

  vlanStatement = this.RULE("vlanStatement", () => {
    this.CONSUME(K.vlan);
    this.CONSUME(Int);
    this.CONSUME(K.ports);
    this.SUBRULE(this.portList);
  });

  trunkStatement = this.RULE("trunkStatement", () => {
    this.CONSUME(K.trunk);
    this.CONSUME(K.ports);
    this.SUBRULE(this.portList);
    this.CONSUME(K.vlans);
    this.SUBRULE2(this.portList);
  });

  ageingStatement = this.RULE("ageingStatement", () => {
    this.CONSUME(K.ageing);
    this.CONSUME(Int);
  });

  concastBlock = this.RULE("concastBlock", () => {
    this.body(
      this.concastBody ??= this.statements("concast", [
        { ALT: () => this.SUBRULE(this.keyStatement) },
        { ALT: () => this.SUBRULE(this.mergeStatement) },
        { ALT: () => this.SUBRULE(this.doneStatement) },
        { ALT: () => this.SUBRULE(this.outputStatement) },
        { ALT: () => this.SUBRULE(this.receiverStatement) },
      ]),
    );
  });
  private concastBody?: Statements;

  keyStatement = this.RULE("keyStatement", () => {
    this.CONSUME(K.key);
    this.SUBRULE(this.field);
  });

  /** `field u16 [le] at OFFSET`. */
  field = this.RULE("field", () => {
    this.CONSUME(K.field);
    this.OR([
      { ALT: () => this.CONSUME(K.u8) },
      { ALT: () => this.CONSUME(K.u16) },
      { ALT: () => this.CONSUME(K.u32) },
      { ALT: () => this.CONSUME(K.u64) },
    ]);
    this.OPTION(() => this.CONSUME(K.le));
    this.CONSUME(K.at);
    this.CONSUME(Int);
  });

  mergeStatement = this.RULE("mergeStatement", () => {
    this.CONSUME(K.merge);
    this.OR([
      { ALT: () => this.CONSUME(K.count) },
      { ALT: () => this.CONSUME(K.sum) },
      { ALT: () => this.CONSUME(K.min) },
      { ALT: () => this.CONSUME(K.max) },
      { ALT: () => this.CONSUME(K.first) },
      { ALT: () => this.CONSUME(K.last) },
      { ALT: () => this.CONSUME(K.dedup) },
    ]);
    this.OPTION(() => this.SUBRULE(this.field));
  });

  doneStatement = this.RULE("doneStatement", () => {
    this.CONSUME(K.done);
    this.CONSUME(K.after);
    this.CONSUME(DoneValue);
    this.OPTION(() => {
      this.CONSUME(K.or);
      this.CONSUME2(DoneValue);
    });
  });

  outputStatement = this.RULE("outputStatement", () => {
    this.CONSUME(K.output);
    this.OR([
      { ALT: () => this.CONSUME(K.message) },
      { ALT: () => this.CONSUME(K.summary) },
    ]);
  });

  receiverStatement = this.RULE("receiverStatement", () => {
    this.CONSUME(K.receiver);
    this.CONSUME(K.port);
    this.CONSUME(Int);
  });

  portsStatement = this.RULE("portsStatement", () => {
    this.CONSUME(K.ports);
    this.CONSUME(Int);
  });

  mtuStatement = this.RULE("mtuStatement", () => {
    this.CONSUME(K.mtu);
    this.CONSUME(Int);
  });

  queueStatement = this.RULE("queueStatement", () => {
    this.CONSUME(K.queue);
    this.CONSUME(Int);
  });

  deliveryStatement = this.RULE("deliveryStatement", () => {
    this.OR([
      { ALT: () => this.CONSUME(K.lossy) },
      { ALT: () => this.CONSUME(K.lossless) },
    ]);
  });

  persistentStatement = this.RULE("persistentStatement", () => {
    this.CONSUME(K.persistent);
  });

  descriptionStatement = this.RULE("descriptionStatement", () => {
    this.CONSUME(K.description);
    this.CONSUME(StringLit);
  });

  accessBlock = this.RULE("accessBlock", () => {
    this.CONSUME(K.access);
    this.body(
      this.accessBody ??= this.statements("access", [
        { ALT: () => this.SUBRULE(this.ownerStatement) },
        { ALT: () => this.SUBRULE(this.accessGroupStatement) },
        { ALT: () => this.SUBRULE(this.modeStatement) },
      ]),
    );
  });
  private accessBody?: Statements;

  ownerStatement = this.RULE("ownerStatement", () => {
    this.CONSUME(K.owner);
    this.CONSUME(PrincipalValue);
  });

  accessGroupStatement = this.RULE("accessGroupStatement", () => {
    this.CONSUME(K.group);
    this.CONSUME(PrincipalValue);
  });

  modeStatement = this.RULE("modeStatement", () => {
    this.CONSUME(K.mode);
    this.CONSUME(Int);
  });

  tapBlock = this.RULE("tapBlock", () => {
    this.CONSUME(K.tap);
    this.CONSUME(NameValue);
    this.OPTION(() =>
      this.body(
        this.tapBody ??= this.statements("tap", [
          { ALT: () => this.SUBRULE(this.addressStatement) },
          { ALT: () => this.SUBRULE(this.mtuStatement) },
          { ALT: () => this.SUBRULE(this.portStatement) },
          { ALT: () => this.SUBRULE(this.downStatement) },
        ]),
      )
    );
  });
  private tapBody?: Statements;

  addressStatement = this.RULE("addressStatement", () => {
    this.CONSUME(K.address);
    this.CONSUME(AddressValue);
  });

  portStatement = this.RULE("portStatement", () => {
    this.CONSUME(K.port);
    this.CONSUME(Int);
  });

  downStatement = this.RULE("downStatement", () => {
    this.CONSUME(K.down);
  });

  grabBlock = this.RULE("grabBlock", () => {
    this.CONSUME(K.grab);
    this.CONSUME(NameValue);
    this.OPTION(() =>
      this.body(
        this.grabBody ??= this.statements("grab", [
          { ALT: () => this.SUBRULE(this.portStatement) },
        ]),
      )
    );
  });
  private grabBody?: Statements;

  uplinkBlock = this.RULE("uplinkBlock", () => {
    this.CONSUME(K.uplink);
    this.CONSUME(K.vxlan);
    this.body(
      this.uplinkBody ??= this.statements("uplink", [
        { ALT: () => this.SUBRULE(this.vniStatement) },
        { ALT: () => this.SUBRULE(this.groupStatement) },
        { ALT: () => this.SUBRULE(this.remoteStatement) },
        { ALT: () => this.SUBRULE(this.devStatement) },
        { ALT: () => this.SUBRULE(this.portStatement) },
        { ALT: () => this.SUBRULE(this.ttlStatement) },
        { ALT: () => this.SUBRULE(this.ifnameStatement) },
      ]),
    );
  });
  private uplinkBody?: Statements;

  vniStatement = this.RULE("vniStatement", () => {
    this.CONSUME(K.vni);
    this.CONSUME(Int);
  });

  groupStatement = this.RULE("groupStatement", () => {
    this.CONSUME(K.group);
    this.CONSUME(AddressValue);
  });

  remoteStatement = this.RULE("remoteStatement", () => {
    this.CONSUME(K.remote);
    this.AT_LEAST_ONE(() => this.CONSUME(AddressValue));
  });

  devStatement = this.RULE("devStatement", () => {
    this.CONSUME(K.dev);
    this.CONSUME(NameValue);
  });

  ttlStatement = this.RULE("ttlStatement", () => {
    this.CONSUME(K.ttl);
    this.CONSUME(Int);
  });

  ifnameStatement = this.RULE("ifnameStatement", () => {
    this.CONSUME(K.name);
    this.CONSUME(NameValue);
  });

  // ---- rewrite, bind, endpoint -----------------------------------------

  rewriteBlock = this.RULE("rewriteBlock", () => {
    this.CONSUME(K.rewrite);
    this.CONSUME(NameValue);
    this.body(
      this.rewriteBody ??= this.statements("rewrite", [
        { ALT: () => this.SUBRULE(this.fromStatement) },
        { ALT: () => this.SUBRULE(this.matchStatement) },
        { ALT: () => this.SUBRULE(this.toStatement) },
      ]),
    );
  });
  private rewriteBody?: Statements;

  fromStatement = this.RULE("fromStatement", () => {
    this.CONSUME(K.from);
    this.CONSUME(NameValue);
  });

  matchStatement = this.RULE("matchStatement", () => {
    this.CONSUME(K.match);
    this.CONSUME(K.udp);
    this.CONSUME(K.dst);
    this.CONSUME(AddressValue);
    this.OPTION(() => {
      this.CONSUME(K.port);
      this.SUBRULE(this.portList);
    });
  });

  toStatement = this.RULE("toStatement", () => {
    this.CONSUME(K.to);
    this.CONSUME(K.unicast);
    this.CONSUME(NameValue);
    this.OPTION(() => {
      this.CONSUME(K.address);
      this.CONSUME(AddressValue);
    });
  });

  bindBlock = this.RULE("bindBlock", () => {
    this.CONSUME(K.bind);
    this.CONSUME(NameValue);
    this.body(
      this.bindBody ??= this.statements("bind", [
        { ALT: () => this.SUBRULE(this.whenStatement) },
        { ALT: () => this.SUBRULE(this.exceptStatement) },
      ]),
    );
  });
  private bindBody?: Statements;

  whenStatement = this.RULE("whenStatement", () => {
    this.CONSUME(K.when);
    this.OR([
      {
        ALT: () => {
          this.CONSUME(K.env);
          this.CONSUME(Name);
        },
      },
      {
        ALT: () => {
          this.CONSUME(K.device);
          this.CONSUME(NameValue);
        },
      },
    ]);
  });

  exceptStatement = this.RULE("exceptStatement", () => {
    this.CONSUME(K.except);
    this.OR([
      {
        ALT: () => {
          this.OPTION(() =>
            this.OR2([
              { ALT: () => this.CONSUME(K.tcp) },
              { ALT: () => this.CONSUME(K.udp) },
              { ALT: () => this.CONSUME(K.any) },
            ])
          );
          this.CONSUME(K.port);
          this.SUBRULE(this.portList);
        },
      },
      { ALT: () => this.CONSUME(K.loopback) },
      { ALT: () => this.CONSUME(K.unix) },
      {
        ALT: () => {
          this.CONSUME(K.address);
          this.CONSUME(AddressValue);
        },
      },
    ]);
  });

  endpointBlock = this.RULE("endpointBlock", () => {
    this.CONSUME(K.endpoint);
    this.CONSUME(NameValue);
    this.body(
      this.endpointBody ??= this.statements("endpoint", [
        { ALT: () => this.SUBRULE(this.inetStatement) },
        { ALT: () => this.SUBRULE(this.inet6Statement) },
        { ALT: () => this.SUBRULE(this.ipnStatement) },
      ]),
    );
  });
  private endpointBody?: Statements;

  inetStatement = this.RULE("inetStatement", () => {
    this.CONSUME(K.inet);
    this.CONSUME(AddressValue);
    this.CONSUME(K.port);
    this.CONSUME(Int);
  });

  inet6Statement = this.RULE("inet6Statement", () => {
    this.CONSUME(K.inet6);
    this.CONSUME(AddressValue);
    this.CONSUME(K.port);
    this.CONSUME(Int);
  });

  ipnStatement = this.RULE("ipnStatement", () => {
    this.CONSUME(K.ipn);
    this.OR([
      {
        ALT: () => {
          this.CONSUME(K.network);
          this.CONSUME(NameValue);
        },
      },
      { ALT: () => this.CONSUME(StringLit) },
    ]);
  });
}

/** The one parser instance (building it is the expensive part). */
export const parser = new IpnParser();

/** Build the grammar with Chevrotain's checks; throws on a grammar error (for tests). */
export function checkGrammar(): void {
  new IpnParser(true);
}

/**
 * For each rule, the names of the tokens (or rules) it can start with, as
 * keys of its CST node's children: a statement's keyword, or the block a
 * `declaration` wraps. Derived from the grammar so it cannot drift; used to
 * find a statement's keyword without scanning its children.
 */
export const FIRST_TOKENS: Readonly<Record<string, readonly string[]>> = (() => {
  const out: Record<string, string[]> = {};
  type Prod = {
    definition?: Prod[];
    terminalType?: TokenType;
    nonTerminalName?: string;
    constructor: { name: string };
  };
  const firsts = (p: Prod): string[] => {
    if (p.terminalType) return [p.terminalType.name];
    if (p.nonTerminalName) return [p.nonTerminalName];
    const kind = p.constructor.name;
    if (kind === "Alternation") return p.definition!.flatMap((alt) => firsts(alt));
    if (kind === "Alternative" && p.definition!.length > 0) return firsts(p.definition![0]);
    return [];
  };
  for (const [name, rule] of Object.entries(parser.getGAstProductions())) {
    const first = (rule.definition as unknown as Prod[])[0];
    out[name] = first ? firsts(first) : [];
  }
  return out;
})();

/** A parse error as Chevrotain reports it, with its message split from its hint. */
export interface ParseError {
  token: IToken;
  message: string;
  hint?: string;
  /** Tokens Chevrotain skipped while recovering, if any. */
  resynced: IToken[];
}

/** Parse a token stream into a CST; errors are returned, never thrown. */
export function parseTokens(tokens: IToken[]): { cst: CstNode; errors: ParseError[] } {
  parser.input = tokens;
  const cst = parser.file();
  const errors = parser.errors.map((e) => {
    const [message, hint] = e.message.split("\u0000");
    return {
      token: e.token,
      message,
      hint: hint || undefined,
      resynced: (e.resyncedTokens ?? []) as IToken[],
    };
  });
  // Release the input so a large file is not kept alive by the singleton.
  parser.input = [];
  return { cst, errors };
}

/** True for the end-of-input token. */
export function isEof(t: IToken): boolean {
  return t.tokenType === EOF;
}

/** Token types of values that cannot start a statement (for tests and tools). */
export const VALUE_TOKENS: readonly TokenType[] = [
  Int,
  RangeLit,
  Duration,
  Address,
  StringLit,
  Comma,
  Equals,
  Invalid,
  Ident,
];
