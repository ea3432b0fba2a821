// Placeholder until the latency work lands; replaced, not kept.
export async function runRrServer(_args: string[]): Promise<number> {
  throw new Error('agent mode not implemented yet');
}
export async function runRrClient(_args: string[]): Promise<number> {
  throw new Error('agent mode not implemented yet');
}
export async function runCrrClient(_args: string[]): Promise<number> {
  throw new Error('agent mode not implemented yet');
}
