/** Finds credentials in text (logs, test output): the check behind "no key, token or SAS URL in any log". */

const PATTERNS: { name: string; pattern: RegExp }[] = [
  { name: 'bearer token', pattern: /Bearer\s+(?!\[redacted\])[A-Za-z0-9._~+/=-]{8,}/g },
  { name: 'storage account key', pattern: /AccountKey=(?!\[redacted\])[^;"\s]+/g },
  { name: 'shared access signature', pattern: /SharedAccessSignature=(?!\[redacted\])[^;"\s]+|[?&]sig=(?!\[redacted\])[^&"\s]+/g },
  { name: 'JWT', pattern: /eyJ[\w-]{10,}\.[\w-]{10,}\.[\w-]+/g },
  { name: 'sandbox access token', pattern: /sandbox-token-\d+/g },
];

export interface SecretFinding {
  what: string;
  /** Where it was found, with the secret itself cut down to its first characters. */
  excerpt: string;
}

/** `known` are secret values to look for literally (keys, connection strings), besides the patterns. */
export function findSecrets(text: string, known: readonly string[] = []): SecretFinding[] {
  const findings: SecretFinding[] = [];
  for (const { name, pattern } of PATTERNS) {
    for (const match of text.matchAll(pattern)) findings.push({ what: name, excerpt: `${match[0].slice(0, 12)}…` });
  }
  for (const secret of known.filter((k) => k.length >= 8)) {
    if (text.includes(secret)) findings.push({ what: 'known secret value', excerpt: `${secret.slice(0, 6)}…` });
  }
  return findings;
}
