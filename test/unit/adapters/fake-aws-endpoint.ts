/**
 * A loopback HTTP endpoint that stands in for an AWS service with no emulator here: the
 * real SDK client sends its real requests to it, the test scripts the answers and asserts
 * on what was sent.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface ScriptedResponse {
  status?: number;
  headers?: Record<string, string>;
  body: string;
}

export interface FakeAwsEndpoint {
  endpoint: string;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

/** Starts the endpoint; `answer` decides the response to each request. */
export async function startFakeAwsEndpoint(answer: (request: RecordedRequest) => ScriptedResponse): Promise<FakeAwsEndpoint> {
  const requests: RecordedRequest[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const request = { method: req.method ?? '', path: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
      requests.push(request);
      const response = answer(request);
      res.writeHead(response.status ?? 200, response.headers ?? {});
      res.end(response.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
