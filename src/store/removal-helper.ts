/**
 * The second thread of `remove-trees.ts`: a worker thread that takes
 * indices from a counter it shares with the caller and removes those trees,
 * with the very code the caller's thread uses (`removeTreeWith`, handed over
 * as source text, since a worker loads none of our modules).
 *
 * Protocol, on two shared Int32 slots: the helper raises `BUSY` before it
 * takes its first index and lowers it after its last, having posted one
 * report (`{}`, or the failure that stopped it). So once the counter is
 * exhausted, a lowered flag means the helper holds no tree and never will:
 * the caller need not wait for a helper that is still starting.
 */
import { once } from 'node:events';
import { MessageChannel, Worker, receiveMessageOnPort } from 'node:worker_threads';
import { removeTreeWith } from './remove-tree.js';

/** Slots of the shared counters: the next index to take, and whether the helper is inside its loop. */
export const NEXT = 0;
export const BUSY = 1;

export interface HelperReport {
  /** The failure that stopped the helper, with the errno fields callers translate. */
  readonly failure?: { readonly message: string; readonly code?: string; readonly syscall?: string; readonly path?: string };
}

export interface RemovalHelper {
  /** Settles when the thread has ended: by itself, once it finds nothing left to take, or stopped. */
  readonly exited: Promise<void>;
  /**
   * Call once the counter is exhausted: waits until the helper holds no
   * tree, then gives its report (`{}` if it never took one), or null if the
   * thread died holding one.
   */
  settle(): Promise<HelperReport | null>;
  stop(): Promise<void>;
}

const source = `
const { workerData } = require('node:worker_threads');
const files = require('node:fs');
const { paths, counters, port } = workerData;
const removeTreeWith = ${removeTreeWith.toString()};
const report = {};
Atomics.store(counters, ${BUSY}, 1);
try {
  for (let index = Atomics.add(counters, ${NEXT}, 1); index < paths.length; index = Atomics.add(counters, ${NEXT}, 1)) {
    removeTreeWith(files, paths[index]);
  }
} catch (error) {
  report.failure = { message: String(error && error.message), code: error && error.code, syscall: error && error.syscall, path: error && error.path && String(error.path) };
} finally {
  port.postMessage(report);
  Atomics.store(counters, ${BUSY}, 0);
}
`;

/** The two slots the caller and the helper share, both 0. */
export function sharedCounters(): Int32Array {
  return new Int32Array(new SharedArrayBuffer(2 * Int32Array.BYTES_PER_ELEMENT));
}

/** `counters` from `sharedCounters()`; the caller may take indices from `NEXT` before and while the helper runs. */
export function startRemovalHelper(paths: readonly string[], counters: Int32Array): RemovalHelper {
  const { port1: reports, port2: helperPort } = new MessageChannel();
  const worker = new Worker(source, { eval: true, workerData: { paths, counters, port: helperPort }, transferList: [helperPort] });
  // A helper that fails to start takes no index; the caller does the work.
  worker.on('error', () => undefined);
  const exited = once(worker, 'exit').then(() => undefined);
  const posted = () => receiveMessageOnPort(reports)?.message as HelperReport | undefined;
  return {
    exited,
    async settle() {
      if (Atomics.load(counters, BUSY) === 0) return posted() ?? {};
      const received = await Promise.race([once(reports, 'message').then(([message]) => message as HelperReport), exited.then(posted)]);
      return received ?? null;
    },
    async stop() {
      reports.close();
      await worker.terminate();
    },
  };
}
