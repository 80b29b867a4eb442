/** The TTL distribution inspect shows: how long sampled entries have left. */
export const TTL_BUCKETS = [
  { label: 'no expiry', below: Number.NaN },
  { label: '< 1 min', below: 60_000 },
  { label: '1-5 min', below: 300_000 },
  { label: '5-60 min', below: 3_600_000 },
  { label: '1-24 h', below: 86_400_000 },
  { label: '> 24 h', below: Number.POSITIVE_INFINITY },
] as const;

export type TtlBucket = (typeof TTL_BUCKETS)[number]['label'];

export type TtlDistribution = Record<TtlBucket, number>;

export function emptyDistribution(): TtlDistribution {
  return Object.fromEntries(TTL_BUCKETS.map((b) => [b.label, 0])) as TtlDistribution;
}

/** The bucket of a PTTL answer: -1 is "no expiry"; -2 (gone meanwhile) is not counted. */
export function bucketOf(pttl: number): TtlBucket | undefined {
  if (pttl === -1) return 'no expiry';
  if (pttl < 0) return undefined;
  for (const bucket of TTL_BUCKETS) if (pttl < bucket.below) return bucket.label;
  return '> 24 h';
}
