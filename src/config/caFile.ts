/** `arm.caFile`: read and checked once, at config load, so a wrong file is named before the first ARM call fails. */
import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { UserError } from '../errors';

const CERTIFICATE = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

/** The file's PEM certificates (a bundle may hold several), or a config error naming the field, the file and the fix. */
export function readCaFile(file: string): string {
  const problem = (what: string, code: string) =>
    new UserError(`arm.caFile '${file}' ${what}: point it at a PEM file of CA certificates (-----BEGIN CERTIFICATE-----) or remove arm.caFile`, 'config', code);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw problem(`cannot be read (${(err as NodeJS.ErrnoException).code ?? 'error'})`, 'CaFileUnreadable');
  }
  // A private key has no business in a trust store; say so rather than trust the certificate next to it.
  if (/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(text)) throw problem('holds a private key', 'CaFileHoldsKey');
  const certificates = text.match(CERTIFICATE) ?? [];
  if (certificates.length === 0) throw problem('holds no PEM certificate', 'CaFileNotPem');
  certificates.forEach((pem, index) => {
    try {
      new X509Certificate(pem);
    } catch {
      throw problem(`has a certificate (number ${index + 1}) that does not parse`, 'CaFileNotPem');
    }
  });
  return certificates.join('\n');
}
