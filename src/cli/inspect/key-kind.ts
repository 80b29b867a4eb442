/**
 * What a RedisStore key is, read from its shape (src/store/redis/key-layout.ts):
 * `<prefix>:<ns>:v:<key>` value (`{key}`, or `#{tag}rest` for a tagged key), `:l:<key>` link set, `:i:<by>:{<parent>}` parent index, `:r` registry (only namespaces with a `max` have one).
 */
export type KeyKind =
  | { readonly kind: 'value'; readonly ns: string }
  | { readonly kind: 'links'; readonly ns: string }
  | { readonly kind: 'index'; readonly ns: string; readonly by: string; readonly parent: string }
  | { readonly kind: 'registry'; readonly ns: string }
  | { readonly kind: 'other'; readonly ns: string };

/** Classifies a key found under `<prefix>:`; namespaces never contain ':' so the first segment is one. */
export function classifyKey(prefix: string, key: string): KeyKind | undefined {
  const head = `${prefix}:`;
  if (!key.startsWith(head)) return undefined;
  const rest = key.slice(head.length);
  const colon = rest.indexOf(':');
  if (colon <= 0) return { kind: 'other', ns: rest };
  const ns = rest.slice(0, colon);
  const tail = rest.slice(colon + 1);
  if (tail === 'r') return { kind: 'registry', ns };
  if (tail.startsWith('v:')) return { kind: 'value', ns };
  if (tail.startsWith('l:')) return { kind: 'links', ns };
  if (tail.startsWith('i:')) {
    const index = /^i:([^:]+):\{(.*)\}$/.exec(tail);
    if (index) return { kind: 'index', ns, by: index[1] as string, parent: index[2] as string };
  }
  return { kind: 'other', ns };
}

/** A SCAN pattern for every key under the prefix (glob characters in the prefix escaped). */
export function prefixPattern(prefix: string): string {
  return `${prefix.replace(/[*?[\]\\]/g, (c) => `\\${c}`)}:*`;
}
