/**
 * A binary cache being filled from afar, file by file: a directory or an
 * S3 bucket. Only what an uploader needs: whether a file is there, its
 * text, putting a text file, and putting a path's NAR file. Each put is
 * whole or absent (a rename into place, a single PUT), so a reader never
 * sees half a file; ordering (NAR before narinfo, references first) is the
 * uploader's.
 */
import type { PathInfo } from '../path-info.js';
import type { WrittenNar } from './nar-file-writer.js';

export interface CacheTarget {
  /** The cache as the user named it, for messages. */
  readonly url: string;
  has(relative: string): Promise<boolean>;
  /** The file's text, or null when it is not there. */
  readText(relative: string): Promise<string | null>;
  putText(relative: string, text: string, contentType: string): Promise<void>;
  /** Writes the uncompressed NAR of `info.path`, read from `physicalPath` and checked against `info` on the way. */
  putNar(info: PathInfo, physicalPath: string): Promise<WrittenNar>;
  close(): Promise<void>;
}
