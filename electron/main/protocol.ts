/**
 * Serves renderer/dist on `sundial://app/` (see app-protocol.ts for why not `file://`).
 */
import fs from "node:fs";
import { protocol } from "electron";
import { APP_SCHEME, appResponseHeaders, resolveAppFile } from "./app-protocol.js";
import type { Log } from "./log.js";

/** Must run before `ready`: privileges are fixed when the network service starts. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    {
      scheme: APP_SCHEME,
      privileges: {
        // standard: a real origin (`sundial://app`), so relative URLs, 'self' in the CSP and
        // the IPC sender check work. secure: treated like https (no mixed-content downgrade).
        standard: true,
        secure: true,
        // The renderer's module scripts load with `crossorigin` (CORS mode). Same-origin only:
        // we send no Access-Control-Allow-Origin header, so no other origin can read our files.
        corsEnabled: true,
        supportFetchAPI: true,
      },
    },
  ]);
}

/** After `ready`: answers every `sundial://app/…` request from `root`, with the CSP header. */
export function serveAppProtocol(root: string, log: Log): void {
  protocol.handle(APP_SCHEME, async (request) => {
    if (request.method !== "GET" && request.method !== "HEAD") return new Response("Method not allowed", { status: 405 });
    const file = resolveAppFile(request.url, root);
    if (!file) {
      log(`refused ${request.url}: outside the app`);
      return new Response("Not found", { status: 404 });
    }
    try {
      const body = await fs.promises.readFile(file);
      return new Response(request.method === "HEAD" ? null : body, { status: 200, headers: appResponseHeaders(file) });
    } catch {
      return new Response("Not found", { status: 404 });
    }
  });
}
