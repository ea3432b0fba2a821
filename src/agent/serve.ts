// Placeholder until the local-cluster work lands; replaced, not kept.
export async function runServe(_args: string[]): Promise<number> {
  throw new Error('agent mode not implemented yet');
}
