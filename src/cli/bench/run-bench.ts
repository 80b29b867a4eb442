export async function runBench(_argv: readonly string[]): Promise<number> {
  return 1;
}
