/**
 * Chevrotain, loaded from the single-file build its package ships.
 *
 * The package's entry point is hundreds of small modules (its own and
 * lodash-es): loading them takes about 80 ms more than loading this one
 * file, on every command. Same package, same version (package.json pins
 * it), same types. Every module of the language imports Chevrotain from
 * here, so there is one copy of it (token types are compared by identity).
 *
 * @module
 */
// @ts-types="chevrotain"
export * from "../node_modules/chevrotain/lib/chevrotain.mjs";
