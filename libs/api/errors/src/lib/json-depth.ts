/**
 * The deepest nesting of arrays and objects a body may have. Our bodies are flat objects; the bound keeps
 * every later step that walks a body (class-transformer, the validation pipe) far from the call stack's
 * limit, which a 6 KB body of nested arrays reached.
 */
export const MAX_JSON_DEPTH = 32;

/** Error `type` of a body nested deeper than MAX_JSON_DEPTH (beside body-parser's own types). */
export const JSON_TOO_DEEP = 'entity.too.deep';

/**
 * True when the JSON text nests arrays or objects deeper than `maxDepth`. It reads UTF-8 bytes and tracks
 * strings only, so it needs no parse (and no stack); the structural characters are ASCII, which never occurs
 * inside a multi-byte UTF-8 sequence.
 */
export function jsonNestingExceeds(bytes: Uint8Array, maxDepth: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < bytes.length; i++) {
    const byte = bytes[i];
    if (inString) {
      if (byte === 0x5c) i++;
      else if (byte === 0x22) inString = false;
    } else if (byte === 0x22) {
      inString = true;
    } else if (byte === 0x5b || byte === 0x7b) {
      if (++depth > maxDepth) return true;
    } else if (byte === 0x5d || byte === 0x7d) {
      depth--;
    }
  }
  return false;
}
