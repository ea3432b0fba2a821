/**
 * Organisation of a commit author, from the domain of the commit e-mail (docs/scoring.md,
 * "Organisations from e-mail domains"). The map is small on purpose and documented: companies known
 * to employ contributors of the CNI projects cnibench scores. Personal mail domains and GitHub's
 * no-reply addresses count as "independent"; any other domain stands for itself (its registrable
 * part, e.g. `mail.example.co.uk` → `example.co.uk`), so nothing is silently merged.
 */

export const INDEPENDENT = 'independent';

/** Domain (registrable part) → organisation. */
const DOMAIN_ORGS: Readonly<Record<string, string>> = {
  'tigera.io': 'Tigera',
  'isovalent.com': 'Isovalent (Cisco)',
  'cisco.com': 'Isovalent (Cisco)',
  'google.com': 'Google',
  'redhat.com': 'Red Hat',
  'microsoft.com': 'Microsoft',
  'amazon.com': 'Amazon',
  'ibm.com': 'IBM',
  'suse.com': 'SUSE',
  'suse.de': 'SUSE',
  'datadoghq.com': 'Datadog',
  'meta.com': 'Meta',
  'fb.com': 'Meta',
  'intel.com': 'Intel',
  'huawei.com': 'Huawei',
  'vmware.com': 'VMware (Broadcom)',
  'broadcom.com': 'VMware (Broadcom)',
  'equinix.com': 'Equinix',
  'metaswitch.com': 'Metaswitch (Microsoft)',
  'covalent.io': 'Isovalent (Cisco)',
};

/** Mail providers for private persons, and GitHub's no-reply addresses. */
const PERSONAL = new Set([
  'gmail.com',
  'googlemail.com',
  'outlook.com',
  'hotmail.com',
  'live.com',
  'yahoo.com',
  'icloud.com',
  'me.com',
  'protonmail.com',
  'proton.me',
  'pm.me',
  'qq.com',
  '163.com',
  '126.com',
  'gmx.de',
  'gmx.net',
  'web.de',
  'posteo.de',
  'mailbox.org',
  'fastmail.com',
  'yandex.ru',
  'users.noreply.github.com',
  'localhost',
]);

/** Second-level suffixes under which the registrable domain has three labels. */
const TWO_LABEL_SUFFIXES = new Set(['co.uk', 'com.au', 'co.jp', 'com.cn', 'com.br', 'co.in', 'co.kr']);

function registrableDomain(domain: string): string {
  const labels = domain.toLowerCase().replace(/\.$/, '').split('.').filter(Boolean);
  if (labels.length <= 2) return labels.join('.');
  const lastTwo = labels.slice(-2).join('.');
  return TWO_LABEL_SUFFIXES.has(lastTwo) ? labels.slice(-3).join('.') : lastTwo;
}

export function organisationOf(email: string): string {
  const at = email.lastIndexOf('@');
  if (at < 0) return INDEPENDENT;
  const full = email.slice(at + 1).toLowerCase();
  if (full.endsWith('users.noreply.github.com') || PERSONAL.has(full)) return INDEPENDENT;
  const reg = registrableDomain(full);
  if (PERSONAL.has(reg)) return INDEPENDENT;
  return DOMAIN_ORGS[reg] ?? reg;
}

/** Bots do not count as contributors or organisations (their commits still count as activity). */
export function isBot(name: string, email: string): boolean {
  return (
    /\[bot\]|^dependabot|^renovate|github-actions|^semaphore|-bot@|\bbot@/i.test(`${name} ${email}`) ||
    /\[bot\]$/i.test(name)
  );
}
