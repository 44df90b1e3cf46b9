/**
 * The public library entry of genledger: the narrow interfaces a second
 * backend or an embedding program needs, and nothing else.
 */

export { GenledgerError, ExitCode } from './errors.js';
export type { Actor, World } from './world.js';
export type { NarNode } from './store/nar-node.js';
