/**
 * The arguments of `agnhost connect` (kubernetes test/images/agnhost/connect), shared by the agent,
 * which runs it for SCTP probes, and the kube driver's agnhost probe mode, which runs it per probe.
 */
export function agnhostConnectArgs(
  host: string,
  port: number,
  protocol: 'TCP' | 'UDP' | 'SCTP',
  timeoutMs: number,
): string[] {
  // agnhost takes a Go duration; whole milliseconds keep sub-second timeouts exact.
  return [
    'connect',
    `${host.includes(':') ? `[${host}]` : host}:${port}`,
    `--timeout=${Math.max(1, Math.round(timeoutMs))}ms`,
    `--protocol=${protocol.toLowerCase()}`,
  ];
}
