/**
 * The behaviour every Store adapter promises (src/store/store.ts), as one
 * suite run against each adapter through a factory: the embedded store
 * today, a store run by Nix next. An adapter passes when it adds trees and
 * NARs with their references, reports path info as Nix does, lists
 * closures in `nix-store -qR` order, keeps what temporary and permanent
 * roots reach, leaves entries it does not know alone, and reports missing
 * and corrupt paths — all on real directories, through the port alone.
 */
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GenledgerError } from '../../src/errors.js';
import { Hash } from '../../src/store/hash.js';
import type { NarNode } from '../../src/store/nar-node.js';
import { narBytesOfTree, narHashOfTree } from '../../src/store/nar-tree.js';
import { removeTree } from '../../src/store/remove-tree.js';
import type { Store } from '../../src/store/store.js';

export interface StoreFixture {
  readonly store: Store;
  close(): Promise<void>;
}

/** A new, empty store whose logical directory is /nix/store. */
export type StoreFactory = () => Promise<StoreFixture>;

const NOW = new Date('2025-01-01T00:00:00Z');
const file = (text: string): NarNode => ({ type: 'regular', executable: false, contents: Buffer.from(text) });
const dir = (entries: Record<string, NarNode>): NarNode => ({ type: 'directory', entries: new Map(Object.entries(entries)) });

export function storeContract(name: string, kind: Store['kind'], factory: StoreFactory): void {
  describe(`Store contract on ${name}`, () => {
    let fixture: StoreFixture;
    let store: Store;

    beforeEach(async () => {
      fixture = await factory();
      store = fixture.store;
    });
    afterEach(() => fixture.close());

    /** Adds a tree naming its references in a file, as a build output would, and returns its path. */
    async function addPackage(label: string, references: readonly string[] = [], pid = process.pid): Promise<string> {
      const tree = dir({ refs: file(`${label}: ${references.join(' ')}\n`) });
      const digest = narHashOfTree(tree);
      const path = store.storeDir.makeSourcePath(digest.narHash, references, false, label);
      await store.addTree({ path, tree, digest, references }, { pid, now: NOW });
      return path;
    }

    describe('adding', () => {
      it('adds a tree with its references and reports its path info as Nix does', async () => {
        const dependency = await addPackage('dep-1.0');
        const tree = dir({ bin: dir({ tool: { type: 'regular', executable: true, contents: Buffer.from(`#!${dependency}/bin/sh\n`) } }) });
        const digest = narHashOfTree(tree);
        const path = store.storeDir.makeSourcePath(digest.narHash, [dependency], false, 'tool-2.0');
        const info = await store.addTree({ path, tree, digest, references: [dependency] }, { pid: process.pid, now: NOW });
        expect(info).toEqual({
          path,
          narHash: digest.narHash,
          narSize: digest.narSize,
          references: [dependency],
          ca: `fixed:r:${digest.narHash.toTyped('nix32')}`,
          registrationTime: Math.floor(NOW.getTime() / 1000),
        });
        expect(await store.info(path)).toEqual(info);
        expect(await store.isValid(path)).toBe(true);
        expect(readFileSync(join(store.location.physical(path), 'bin/tool'), 'utf8')).toBe(`#!${dependency}/bin/sh\n`);
      });

      it('adds a NAR under the info the caller vouches for: references, content address and deriver kept', async () => {
        const dependency = await addPackage('lib-1.0');
        const tree = dir({ lib: file(`linked against ${dependency}\n`) });
        const digest = narHashOfTree(tree);
        const path = store.storeDir.makeSourcePath(digest.narHash, [dependency], false, 'app-1.0');
        const deriver = store.storeDir.makeTextPath(Hash.of('sha256', 'app.drv'), [], 'app-1.0.drv');
        const ca = `fixed:r:${digest.narHash.toTyped('nix32')}`;
        const info = await store.addNar(narBytesOfTree(tree), { path, ...digest, references: [dependency], ca, deriver }, { pid: process.pid, now: NOW });
        expect(info).toMatchObject({ path, narHash: digest.narHash, narSize: digest.narSize, references: [dependency], ca, deriver });
        expect(await store.info(path)).toEqual(info);
        expect(await store.isValid(path)).toBe(true);
      });

      it('refuses a NAR that does not hash as promised and adds nothing', async () => {
        const tree = dir({ a: file('a\n') });
        const digest = narHashOfTree(tree);
        const path = store.storeDir.makeSourcePath(digest.narHash, [], false, 'liar');
        const other = narBytesOfTree(dir({ a: file('b\n') }));
        const error = await store.addNar(other, { path, ...digest, references: [] }, { pid: process.pid, now: NOW }).catch((caught: unknown) => caught);
        expect(error).toBeInstanceOf(GenledgerError);
        expect((error as GenledgerError).code).toBe('GENLEDGER_NAR_HASH_MISMATCH');
        expect(await store.isValid(path)).toBe(false);
        // Nix keeps its hard-link pool `.links` in the store directory; it is no store entry.
        expect(readdirSync(store.location.physicalDir).filter((name) => name !== '.links')).toEqual([]);
      });

      it('adds a file-system tree content-addressed, as nix-store --add does', async () => {
        const source = mkdtempSync(join(tmpdir(), 'genledger-store-source-'));
        try {
          writeFileSync(join(source, 'hello.txt'), 'Hello, Nix!\n');
          const info = await store.addPath(source, { name: 'hello', pid: process.pid, now: NOW });
          const expected = narHashOfTree(dir({ 'hello.txt': file('Hello, Nix!\n') }));
          expect(info.path).toBe(store.storeDir.makeSourcePath(expected.narHash, [], false, 'hello'));
          expect(info.narHash.equals(expected.narHash)).toBe(true);
          expect(await store.isValid(info.path)).toBe(true);
        } finally {
          removeTree(source);
        }
      });

      it('leaves a valid path alone when it is added again', async () => {
        const first = await addPackage('same-1.0');
        const before = await store.requireInfo(first);
        expect(await addPackage('same-1.0')).toBe(first);
        expect(await store.requireInfo(first)).toEqual(before);
      });
    });

    describe('reading', () => {
      it('knows no path it was not given, and says so', async () => {
        const path = store.storeDir.makeTextPath(Hash.of('sha256', 'nothing'), [], 'nothing');
        expect(await store.info(path)).toBeNull();
        expect(await store.isValid(path)).toBe(false);
        expect(await store.isRegistered(path)).toBe(false);
        await expect(store.requireInfo(path)).rejects.toMatchObject({ code: 'GENLEDGER_NOT_VALID' });
        await expect(store.closure([path])).rejects.toMatchObject({ code: 'GENLEDGER_NOT_VALID' });
      });

      it('lists a closure with every path after its references, as nix-store -qR does', async () => {
        const leaf = await addPackage('leaf-1');
        const middle = await addPackage('middle-1', [leaf]);
        const top = await addPackage('top-1', [middle, leaf]);
        await addPackage('unrelated-1', [leaf]);
        const closure = await store.closure([top]);
        expect([...closure].sort()).toEqual([leaf, middle, top].sort());
        expect(closure.indexOf(leaf)).toBeLessThan(closure.indexOf(middle));
        expect(closure.indexOf(middle)).toBeLessThan(closure.indexOf(top));
        expect(await store.closure([top])).toEqual(closure);
      });

      it('resolves an argument below a store path or a link into the store to its store path', async () => {
        const path = await addPackage('linked-1');
        const cwd = mkdtempSync(join(tmpdir(), 'genledger-store-cwd-'));
        try {
          expect(store.resolveArgument(`${path}/refs`, cwd)).toBe(path);
          symlinkSync(path, join(cwd, 'result'));
          expect(store.resolveArgument('result', cwd)).toBe(path);
        } finally {
          removeTree(cwd);
        }
      });
    });

    describe.runIf(kind === 'embedded')("roots and collection by genledger's own collector", () => {
      async function collect(roots: readonly string[], alive: readonly number[] = []) {
        if (store.kind !== 'embedded') throw new Error('an embedded store was expected');
        const plan = store.planCollection(await store.validPaths(), roots, { processAlive: (pid) => alive.includes(pid), tempRoots: store.tempRoots() });
        return { plan, result: await store.carryOutCollection(plan, process.pid) };
      }

      it('never deletes what the permanent roots reach, deletes the rest referrers first, and keeps entries it does not know', async () => {
        const leaf = await addPackage('leaf-2');
        const kept = await addPackage('kept-2', [leaf]);
        const lonely = await addPackage('lonely-2');
        const referrer = await addPackage('referrer-2', [lonely]);
        store.releaseTempRoots(process.pid);
        writeFileSync(join(store.location.physicalDir, 'notes.txt'), 'not a store path\n');
        const { plan, result } = await collect([kept]);
        expect(plan.live).toEqual([kept, leaf].sort());
        expect(result.deleted).toEqual([referrer, lonely]);
        for (const path of [kept, leaf]) expect(await store.isValid(path)).toBe(true);
        for (const path of [lonely, referrer]) expect(await store.isValid(path)).toBe(false);
        expect(plan.unknown).toEqual(['notes.txt']);
        expect(existsSync(join(store.location.physicalDir, 'notes.txt'))).toBe(true);
      });

      it("keeps what a live process's temporary roots name, and forgets them when released", async () => {
        const adding = 4_000_001;
        const path = await addPackage('in-flight-1', [], adding);
        if (store.kind !== 'embedded') throw new Error('an embedded store was expected');
        expect(store.tempRoots()).toContainEqual({ pid: adding, names: [path.slice(store.storeDir.path.length + 1)] });
        const { result } = await collect([], [adding]);
        expect(result.deleted).toEqual([]);
        expect(await store.isValid(path)).toBe(true);
        store.releaseTempRoots(adding);
        expect(store.tempRoots().some(({ pid }) => pid === adding)).toBe(false);
        expect((await collect([])).result.deleted).toEqual([path]);
      });
    });

    describe.runIf(kind === 'nix')("roots and collection by Nix's collector", () => {
      function nixStore() {
        if (store.kind !== 'nix') throw new Error('a Nix store was expected');
        return store;
      }

      it('keeps what an indirect root reaches and deletes the rest, once the command that added them has ended', async () => {
        const leaf = await addPackage('leaf-2');
        const kept = await addPackage('kept-2', [leaf]);
        const lonely = await addPackage('lonely-2');
        const referrer = await addPackage('referrer-2', [lonely]);
        await store.close();
        const links = mkdtempSync(join(tmpdir(), 'genledger-store-roots-'));
        try {
          symlinkSync(kept, join(links, 'result'));
          await nixStore().addIndirectRoot(join(links, 'result'));
          const dry = await nixStore().collectGarbage({ dryRun: true });
          expect([...dry.deleted].sort()).toEqual([lonely, referrer].sort());
          expect(await store.isValid(lonely)).toBe(true);
          await store.close();
          const collected = await nixStore().collectGarbage({ dryRun: false });
          expect([...collected.deleted].sort()).toEqual([lonely, referrer].sort());
          expect(collected.bytesFreed).toBeGreaterThan(0);
          for (const path of [kept, leaf]) expect(await store.isValid(path)).toBe(true);
          for (const path of [lonely, referrer]) expect(await store.isRegistered(path)).toBe(false);
        } finally {
          removeTree(links);
        }
      });

      it('keeps what the running command added or saw valid: its temporary roots last as long as it does', async () => {
        const path = await addPackage('in-flight-1');
        expect((await nixStore().collectGarbage({ dryRun: false })).deleted).toEqual([]);
        expect(await store.isValid(path)).toBe(true);
        await store.close();
        expect((await nixStore().collectGarbage({ dryRun: false })).deleted).toEqual([path]);
      });
    });

    describe('verification', () => {
      it('reports a missing and a corrupt path, and repairs neither', async () => {
        const healthy = await addPackage('healthy-1');
        const missing = await addPackage('missing-1');
        const corrupt = await addPackage('corrupt-1');
        await store.commit({ sync: true });
        removeTree(store.location.physical(missing));
        const physical = store.location.physical(corrupt);
        chmodSync(physical, 0o755);
        chmodSync(join(physical, 'refs'), 0o644);
        writeFileSync(join(physical, 'refs'), 'changed\n');
        expect((await store.verify({ contents: false })).problems.map(({ path, kind }) => [path, kind])).toEqual([[missing, 'missing']]);
        const report = await store.verify({ contents: true });
        expect(report.checked).toBe(3);
        expect(report.problems.map(({ path, kind }) => [path, kind]).sort()).toEqual([[corrupt, 'corrupt'], [missing, 'missing']].sort());
        expect(await store.isValid(healthy)).toBe(true);
        expect(await store.isRegistered(missing)).toBe(true);
      });
    });
  });
}
