import { request } from 'node:http';

// One HTTP request with exactly the headers given (fetch drops Host and other forbidden headers), for tests
// that play a browser on another site or a DNS-rebound page.

export interface RawAnswer {
  readonly status: number;
  readonly body: string;
}

/** Sends `method` to `url` with `headers` (Host included, if given) and `body`; resolves with the answer. */
export function rawRequest(
  url: string,
  method: string,
  headers: Readonly<Record<string, string>>,
  body?: string,
): Promise<RawAnswer> {
  const target = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: target.hostname,
        port: target.port,
        path: `${target.pathname}${target.search}`,
        method,
        headers:
          body === undefined ? headers : { ...headers, 'content-length': String(Buffer.byteLength(body)) },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => {
          text += c;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}
