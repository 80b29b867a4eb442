export async function runInspect(_argv: readonly string[]): Promise<number> {
  return 1;
}
