import { readFileSync } from 'node:fs';

export type TlsFiles = { certFile: string; keyFile: string };

/** The certificate and key for fastify's `https` option; a missing file fails the start with one line naming it. */
export function readTls(files: TlsFiles): { cert: Buffer; key: Buffer } {
  const read = (what: string, path: string) => {
    try {
      return readFileSync(path);
    } catch (err) {
      throw new Error(`cannot read http.tls.${what} ${path}: ${(err as Error).message}`);
    }
  };
  return { cert: read('certFile', files.certFile), key: read('keyFile', files.keyFile) };
}
