/**
 * The two ways a delivery leaves the engine: an HTTP request (webhooks, pings) and a shell
 * command reading the body on stdin. Each resolves with what happened in words (`HTTP 200`,
 * `exit code 0`) or throws a DeliveryError whose words never hold the URL or the command:
 * they go to the engine's log and to `status`.
 */
import type { ChildProcess } from "node:child_process";
import http from "node:http";
import https from "node:https";
import { spawnCommand } from "../executor/child-process-executor.js";
import { signalProcessGroup } from "../executor/process-tree.js";
import type { DeliveryRequest } from "./payload.js";

/** A delivery that did not arrive; `message` is safe to log (no URL, no command). */
export class DeliveryError extends Error {
  override name = "DeliveryError";
}

/**
 * Sends one request; any 2xx is a delivery. Gives up after `timeoutMs` (connecting and
 * answering together). Node's http rather than fetch: fetch refuses the "bad ports" of the
 * Fetch standard (6000, 6665…), where a user's own receiver may well listen. No redirects.
 */
export function sendHttp(request: DeliveryRequest, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let url: URL;
    try {
      url = new URL(request.url);
    } catch {
      reject(new DeliveryError("not a URL"));
      return;
    }
    const body = request.body === null ? null : Buffer.from(request.body, "utf8");
    const send = url.protocol === "https:" ? https.request : http.request;
    let settled = false;
    const fail = (words: string) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      outgoing.destroy();
      reject(new DeliveryError(words));
    };
    const outgoing = send(url, {
      method: request.method,
      headers: { "user-agent": "Sundial", ...request.headers, ...(body ? { "content-length": String(body.length) } : {}) },
      agent: false,
    });
    const timer = setTimeout(() => fail(`no answer within ${Math.round(timeoutMs / 1000)} s`), timeoutMs);
    timer.unref();
    outgoing.on("error", (error: NodeJS.ErrnoException) => fail(connectionFailureWords(error)));
    outgoing.on("response", (response) => {
      // Read (and drop) the answer, so the connection is released.
      response.resume();
      response.on("error", () => undefined);
      const status = response.statusCode ?? 0;
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (status >= 200 && status <= 299) resolve(`HTTP ${status}`);
      else reject(new DeliveryError(`HTTP ${status}${response.statusMessage ? ` ${response.statusMessage}` : ""}`));
    });
    outgoing.end(body ?? undefined);
  });
}

/** A connection's failure in words: the code, never the URL. */
function connectionFailureWords(error: NodeJS.ErrnoException): string {
  switch (error.code) {
    case "ECONNREFUSED":
      return "connection refused";
    case "ECONNRESET":
    case "EPIPE":
      return "connection closed before an answer";
    case "ENOTFOUND":
    case "EAI_AGAIN":
      return "host not found";
    case "ETIMEDOUT":
      return "connection timed out";
    default:
      return error.code ? `could not connect (${error.code})` : "could not connect";
  }
}

export interface CommandDelivery {
  command: string;
  stdin: string;
  env: Record<string, string>;
  cwd: string;
  timeoutMs: number;
  killGraceMs: number;
  log: (line: string) => void;
}

/**
 * Runs a command channel's command line with the shell a job's command gets, in its own
 * process group, the body on stdin; exit 0 is a delivery. At the timeout its whole group is
 * stopped (SIGTERM, then SIGKILL). Its output is not kept: only the last stderr line, in the
 * error, cut short (it is the user's own command; it might echo what it was given).
 */
export function runCommandDelivery(delivery: CommandDelivery): Promise<string> {
  return new Promise((resolve, reject) => {
    let child: ChildProcess;
    try {
      child = spawnCommand(delivery, ["pipe", "ignore", "pipe"], process.platform);
    } catch (error) {
      reject(new DeliveryError(`could not start the command (${(error as NodeJS.ErrnoException).code ?? "error"})`));
      return;
    }
    let stderr = "";
    let timedOut = false;
    const stop = (signal: NodeJS.Signals) => {
      if (child.pid === undefined) return;
      if (process.platform === "win32") child.kill(signal);
      else signalProcessGroup(child.pid, signal, delivery.log);
    };
    const timer = setTimeout(() => {
      timedOut = true;
      stop("SIGTERM");
      setTimeout(() => stop("SIGKILL"), delivery.killGraceMs).unref();
    }, delivery.timeoutMs);
    timer.unref();
    child.stderr?.on("data", (chunk: Buffer) => {
      stderr = (stderr + chunk.toString("utf8")).slice(-2_000);
    });
    child.stdin?.on("error", () => undefined);
    child.stdin?.end(delivery.stdin);
    child.on("error", (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      reject(new DeliveryError(`could not start the command (${error.code ?? error.message})`));
    });
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      if (timedOut) return reject(new DeliveryError(`stopped at its timeout of ${Math.round(delivery.timeoutMs / 1000)} s`));
      if (code === 0) return resolve("exit code 0");
      const last = stderr.trim().split(/\r?\n/).pop()?.slice(0, 200) ?? "";
      reject(new DeliveryError(`${code !== null ? `exit code ${code}` : `killed by ${signal}`}${last ? `: ${last}` : ""}`));
    });
  });
}
