/**
 * The public library entry of genledger: the narrow interfaces a second
 * backend or an embedding program needs, and nothing else.
 */

export { GenledgerError, ExitCode } from './errors.js';
export type { Actor, World } from './world.js';
export type { NarNode } from './store/nar-node.js';
export type { Ledger, LogRecord, ReadLogOptions, ReadOptions, StreamHead } from './ledger/ledger.js';
export type { NewEvent, StoredEvent } from './ledger/event.js';
export { openDatabase } from './ledger/database.js';
export type { Database, OpenDatabaseOptions } from './ledger/database.js';
export { createLevelLedger } from './ledger/level-ledger.js';
export type { CommitHook, LevelLedgerOptions } from './ledger/level-ledger.js';
// A program appending to a state home's ledger commits through its head file (`commit: committingTo(ledgerHeadFile(home))`), or genledger discards its events as uncommitted.
export { committingTo, ledgerHeadFile } from './ledger/ledger-head-file.js';
export { verifyLedger } from './ledger/verify-ledger.js';
export type { LedgerProblem, VerifyReport } from './ledger/ledger-problem.js';
// The read side of profiles: which streams are profiles, and a stream folded into its state (what replay projects).
export { foldProfile } from './app/profile/profile-stream.js';
export { listProfileStreams } from './app/profile/profile-streams.js';
export type { ProfileState } from './domain/profile-state.js';
