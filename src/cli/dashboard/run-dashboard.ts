export async function runDashboard(_argv: readonly string[]): Promise<number> {
  return 1;
}
