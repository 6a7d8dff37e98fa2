import { VexError } from '../errors.js';
import { NAME_MAX_BYTES, PATH_MAX_BYTES } from '../store/layout.js';

/**
 * A name inside a directory: not empty, no '/', no NUL, at most 255 bytes of UTF-8.
 * Names are text: bytes that are not valid UTF-8 arrive here already as U+FFFD and are
 * refused (EILSEQ) by the FUSE adapter rather than stored under a different name.
 */
export function checkName(name: string): void {
  if (typeof name !== 'string' || name.length === 0) throw new VexError('EINVAL', 'a file name may not be empty');
  if (name.includes('/')) throw new VexError('EINVAL', `a file name may not contain '/': '${printable(name)}'`);
  if (name.includes('\0')) throw new VexError('EINVAL', 'a file name may not contain a NUL byte');
  if (Buffer.byteLength(name) > NAME_MAX_BYTES) {
    throw new VexError(
      'ENAMETOOLONG',
      `a file name may be at most ${NAME_MAX_BYTES} bytes; this one has ${Buffer.byteLength(name)}`,
    );
  }
}

/** A name that creates or removes an entry: '.' and '..' are refused as Linux refuses them. */
export function checkNewName(name: string): void {
  checkName(name);
  if (name === '.' || name === '..') throw new VexError('EEXIST', `'${name}' always exists in a directory`);
}

/** Splits an absolute or relative store path into its names; '.' parts are dropped. */
export function splitPath(path: string): string[] {
  if (typeof path !== 'string') throw new VexError('EINVAL', 'a path must be a string');
  if (path.includes('\0')) throw new VexError('EINVAL', 'a path may not contain a NUL byte');
  if (Buffer.byteLength(path) > PATH_MAX_BYTES) {
    throw new VexError(
      'ENAMETOOLONG',
      `a path may be at most ${PATH_MAX_BYTES} bytes; this one has ${Buffer.byteLength(path)}`,
    );
  }
  return path.split('/').filter((part) => part !== '' && part !== '.');
}

export function printable(text: string, maxChars = 80): string {
  // Control characters are what this replaces, so the pattern must name them.
  // eslint-disable-next-line no-control-regex
  const clean = text.replace(/[\x00-\x1f\x7f]/g, '?');
  return clean.length > maxChars ? `${clean.slice(0, maxChars)}…` : clean;
}
