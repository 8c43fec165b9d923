// The edge's TLS identity. Session clients accept any certificate (they authenticate nodes by the
// onion layer's keys, not by TLS), so a node makes a self-signed one at first start and keeps it
// beside its other keys, as upstream storage servers do; an operator may give one instead.
// ECDSA P-256: a handshake costs the server far less than with RSA.
import 'reflect-metadata'; // @peculiar/x509 resolves its services through tsyringe, which needs it
import { webcrypto } from 'crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'fs';
import { join } from 'path';
import * as x509 from '@peculiar/x509';
import { ConfigError } from '../config';
import type { EdgeTls } from './edge';

export const TLS_KEY_FILE = 'tls.key';
export const TLS_CERT_FILE = 'tls.crt';

const VALIDITY_YEARS = 10;

/** The key and certificate in `dir`, made there first when absent. */
export async function loadOrCreateTls(dir: string, commonName: string): Promise<EdgeTls> {
  const keyPath = join(dir, TLS_KEY_FILE);
  const certPath = join(dir, TLS_CERT_FILE);
  if (existsSync(keyPath) && existsSync(certPath)) return readTlsFiles(keyPath, certPath);
  const made = await selfSignedTls(commonName);
  mkdirSync(dir, { recursive: true });
  writeFileSync(keyPath, made.key, { mode: 0o600 });
  writeFileSync(certPath, made.cert, { mode: 0o644 });
  return made;
}

/** An operator's key and certificate (PEM files). */
export function readTlsFiles(keyPath: string, certPath: string): EdgeTls {
  return { key: readFileSync(keyPath, 'utf8'), cert: readFileSync(certPath, 'utf8') };
}

export async function selfSignedTls(commonName: string): Promise<{ key: string; cert: string }> {
  const algorithm = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' };
  const keys = (await webcrypto.subtle.generateKey(algorithm, true, ['sign', 'verify'])) as webcrypto.CryptoKeyPair;
  const notBefore = new Date(Date.now() - 60_000);
  const notAfter = new Date(notBefore);
  notAfter.setFullYear(notAfter.getFullYear() + VALIDITY_YEARS);
  const cert = await x509.X509CertificateGenerator.createSelfSigned(
    {
      serialNumber: Buffer.from(webcrypto.getRandomValues(new Uint8Array(16))).toString('hex').replace(/^[89a-f]/, '0'),
      name: `CN=${commonName.replace(/[,=+<>#;"\\]/g, '')}`,
      notBefore,
      notAfter,
      keys,
      signingAlgorithm: algorithm,
    },
    webcrypto as unknown as Parameters<typeof x509.X509CertificateGenerator.createSelfSigned>[1],
  );
  const pkcs8 = await webcrypto.subtle.exportKey('pkcs8', keys.privateKey);
  return { key: x509.PemConverter.encode(pkcs8, 'PRIVATE KEY'), cert: cert.toString('pem') };
}

export interface TlsSettings {
  tlsCert?: string;
  tlsKey?: string;
  plainHttp: boolean;
}

/** The edge's TLS from a service's settings (tlsConfig): none, the operator's, or one of its own in `dataDir`. */
export async function edgeTls(settings: TlsSettings, dataDir: string, commonName: string): Promise<EdgeTls | undefined> {
  if (settings.plainHttp) return undefined;
  if (settings.tlsCert || settings.tlsKey) {
    if (!settings.tlsCert || !settings.tlsKey) throw new ConfigError(['a TLS certificate and its key go together: set both or neither']);
    return readTlsFiles(settings.tlsKey, settings.tlsCert);
  }
  return loadOrCreateTls(dataDir, commonName);
}
