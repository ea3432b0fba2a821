/**
 * Kubernetes object-name rules (apimachinery's validation.IsDNS1123Label / IsDNS1123Subdomain), the
 * one definition cnibench checks names against: namespaces, pods, candidate names, prefixes.
 */

/** RFC 1123 label: lower-case alphanumerics and '-', alphanumeric at both ends. Length checked apart. */
export const DNS1123_LABEL_PATTERN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_LABEL_MAX_LENGTH = 63;

const DNS1123_SUBDOMAIN_PATTERN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS1123_SUBDOMAIN_MAX_LENGTH = 253;

/** Whether `v` is a valid RFC 1123 label (1–63 characters). */
export function isDnsLabel(v: string): boolean {
  return v.length <= DNS1123_LABEL_MAX_LENGTH && DNS1123_LABEL_PATTERN.test(v);
}

/** The API server's messages for a name against one of the two rules, none when valid. */
function nameProblems(v: string, maxLength: number, pattern: RegExp, rule: string): string[] {
  const out: string[] = [];
  if (v.length > maxLength) out.push(`must be no more than ${maxLength} characters`);
  if (!pattern.test(v)) out.push(rule);
  return out;
}

/** The API server's messages for an invalid label, none when valid. */
export function dnsLabelProblems(v: string): string[] {
  return nameProblems(
    v,
    DNS1123_LABEL_MAX_LENGTH,
    DNS1123_LABEL_PATTERN,
    "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character",
  );
}

/** The API server's messages for an invalid subdomain (dot-separated labels, ≤ 253 characters). */
export function dnsSubdomainProblems(v: string): string[] {
  return nameProblems(
    v,
    DNS1123_SUBDOMAIN_MAX_LENGTH,
    DNS1123_SUBDOMAIN_PATTERN,
    "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character",
  );
}
