/**
 * A real HTTP receiver on 127.0.0.1 for webhook and ping tests (issue 16): it records every
 * request (method, path, headers, body) in arrival order and answers with a chosen status.
 * `refuseConnections` stands for a receiver that is down but reachable: each connection is
 * counted and closed at once, before any answer; `listen` on the same port brings it back.
 */
import http from "node:http";
import net from "node:net";
import { waitFor } from "./waiting.mjs";

export interface ReceivedRequest {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
  /** Date.now() when it arrived. */
  at: number;
}

export class HttpReceiver {
  readonly requests: ReceivedRequest[] = [];
  /** Connections closed unanswered while refusing (a delivery attempt each). */
  refusedConnections = 0;
  /** The status every request is answered with. */
  status = 200;
  #server: http.Server | net.Server | null = null;
  #port = 0;

  /** The receiver's base URL (`http://127.0.0.1:PORT`). */
  get url(): string {
    return `http://127.0.0.1:${this.#port}`;
  }

  get port(): number {
    return this.#port;
  }

  /** Starts answering HTTP (on its previous port after `refuseConnections`, else a free one). */
  async listen(): Promise<this> {
    await this.close();
    const server = http.createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on("data", (chunk: Buffer) => chunks.push(chunk));
      request.on("end", () => {
        this.requests.push({ method: request.method ?? "", path: request.url ?? "", headers: request.headers, body: Buffer.concat(chunks).toString("utf8"), at: Date.now() });
        response.writeHead(this.status, { "content-type": "text/plain" });
        response.end("ok");
      });
    });
    await this.#bind(server);
    return this;
  }

  /** Accepts connections and closes them at once, counting them: a receiver that is down. */
  async refuseConnections(): Promise<this> {
    await this.close();
    const server = net.createServer((socket) => {
      this.refusedConnections++;
      socket.destroy();
    });
    await this.#bind(server);
    return this;
  }

  /** Requests whose path starts with `prefix`. */
  received(prefix = "/"): ReceivedRequest[] {
    return this.requests.filter((request) => request.path.startsWith(prefix));
  }

  /** Waits until `count` requests under `prefix` arrived; returns them. */
  async waitForRequests(count: number, prefix = "/", timeoutMs = 20_000): Promise<ReceivedRequest[]> {
    await waitFor(() => this.received(prefix).length >= count, timeoutMs, `${count} request(s) to ${prefix}`);
    return this.received(prefix);
  }

  async close(): Promise<void> {
    const server = this.#server;
    this.#server = null;
    if (!server) return;
    (server as http.Server).closeAllConnections?.();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  async #bind(server: http.Server | net.Server): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(this.#port, "127.0.0.1", () => resolve());
    });
    this.#port = (server.address() as net.AddressInfo).port;
    this.#server = server;
  }
}

/** A receiver listening on a free port. */
export function startReceiver(): Promise<HttpReceiver> {
  return new HttpReceiver().listen();
}
