/**
 * Run by the multi-user tests as the non-root test user (bundled with
 * esbuild, spawned with its uid/gid): connects to the store URI in argv[2]
 * and adds each NAR listed in the JSON file argv[3] with addToStoreNar,
 * printing one JSON line per item: { ok: true } or the error's code and
 * message. A NAR is streamed from its file in small chunks.
 */
import { readFileSync } from 'node:fs';
import { isGenledgerError } from '../../src/errors.js';
import type { NixPathInfoToAdd } from '../../src/store/nix/nix-daemon-client.js';
import { NixDaemonClient } from '../../src/store/nix/nix-daemon-client.js';
import { resolveNixStoreTarget } from '../../src/store/nix/nix-store-uri.js';

interface Item {
  readonly info: NixPathInfoToAdd;
  readonly narFile: string;
}

function* chunksOf(bytes: Buffer, size: number): Iterable<Uint8Array> {
  for (let offset = 0; offset < bytes.length; offset += size) yield bytes.subarray(offset, offset + size);
}

const [uri, itemsFile] = process.argv.slice(2) as [string, string];
const items = JSON.parse(readFileSync(itemsFile, 'utf8')) as Item[];
try {
  const client = await NixDaemonClient.connect(resolveNixStoreTarget(uri, process.env));
  for (const item of items) {
    try {
      await client.addToStoreNar(item.info, chunksOf(readFileSync(item.narFile), 100), { dontCheckSigs: true });
      console.log(JSON.stringify({ ok: true }));
    } catch (error) {
      console.log(JSON.stringify(isGenledgerError(error) ? { code: error.code, message: error.message } : { bug: String(error) }));
    }
  }
  await client.close();
} catch (error) {
  console.log(JSON.stringify(isGenledgerError(error) ? { code: error.code, message: error.message } : { bug: String(error) }));
}
