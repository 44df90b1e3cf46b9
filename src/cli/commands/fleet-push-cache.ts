/**
 * The `--cache URL` part of `fleet push`: its URL and signing key checked
 * before anything is sent (usage errors first), then the upload run in a
 * read session of the home, whose store provides the paths.
 */
import { resolve } from 'node:path';
import { usageError } from '../../errors.js';
import type { World } from '../../world.js';
import type { GlobalOptions } from '../../app/session/session-options.js';

type PushCacheResult = import('../../app/fleet/push-cache.js').PushCacheResult;

export interface CachePush {
  /** Uploads and prints the summary line (text mode); the result is for the command's JSON. */
  run(): Promise<PushCacheResult>;
  /** Uploads with no event push: prints `{ cache }` with --json. */
  runAlone(): Promise<void>;
}

export async function prepareCachePush(world: World, options: GlobalOptions, cacheUrl: string): Promise<CachePush> {
  const { parseCacheTargetUrl } = await import('../../store/binary-cache/cache-target-url.js');
  const url = parseCacheTargetUrl(cacheUrl);
  const keyFile = options.signKey ?? world.env.GENLEDGER_SIGN_KEY;
  if (keyFile === undefined || keyFile === '') {
    throw usageError('GENLEDGER_CACHE_NO_SIGN_KEY', '--cache needs a key to sign the narinfos with', 'pass --sign-key FILE (or set GENLEDGER_SIGN_KEY); genledger key generate NAME makes one');
  }
  const { readSecretKeyFile } = await import('../../ledger/key-files.js');
  const secretKey = readSecretKeyFile(resolve(world.cwd, keyFile));
  const upload = async (): Promise<PushCacheResult> => {
    const { withSession } = await import('../../app/session/session.js');
    const { openCacheTarget } = await import('../../store/binary-cache/open-cache-target.js');
    const { pushCache } = await import('../../app/fleet/push-cache.js');
    const target = await openCacheTarget(url, world.pid);
    try {
      return await withSession(world, options, (session) => pushCache(session, { target, secretKey, warn: (message) => world.stderr.write(`genledger: warning: ${message}\n`) }), { project: false, access: 'read' });
    } finally {
      await target.close();
    }
  };
  const run = async (): Promise<PushCacheResult> => {
    const result = await upload();
    if (!options.json && !options.quiet) {
      const notHere = result.missing.length === 0 ? '' : `, ${result.missing.length} live paths not in this store`;
      world.stderr.write(`genledger: uploaded ${result.uploaded} store paths to ${result.cache} (${result.skipped} already there${notHere})\n`);
    }
    return result;
  };
  return {
    run,
    runAlone: async () => {
      const result = await run();
      if (options.json) world.stdout.write(`${JSON.stringify({ cache: result })}\n`);
    },
  };
}
