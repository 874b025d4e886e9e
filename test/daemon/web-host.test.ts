/**
 * `sundial daemon --ui`: the real daemon on a temp home, probed over HTTP the way a hostile
 * page, a DNS-rebinding attack or a curious local process would (DESIGN.md, "The web UI's
 * security"). The browser's own view of the UI is in test/e2e/.
 */
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkRendererBuilt, RendererMissingError } from "../../electron/daemon/web-static.js";
import { removeTempHomes, startDaemon, stopAllDaemons, sundial, sundialJson, tempHome } from "../support/cli.js";
import { corsHeaders, rawRequest, seenResponses, startUiDaemon, UI_LINK, type RawRequest, type RawResponse, type UiDaemon } from "../support/web-ui.js";

const CSP = "default-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

let ui: UiDaemon;
let home: string;

beforeAll(async () => {
  home = tempHome("web-host");
  ui = await startUiDaemon(home);
  // Something secret in the store, to look for in answers that must not leak it.
  await sundial(["add", "secret-job", "--every", "1h", "--", "echo s3cr3t-command"], { home });
}, 120_000);

afterAll(async () => {
  await stopAllDaemons();
  removeTempHomes();
});

/** A request with the right Host and token, plus whatever the test changes. */
function authorized(request: RawRequest): Promise<RawResponse> {
  return rawRequest(ui.port, { ...request, headers: { Authorization: `Bearer ${ui.token}`, ...request.headers } });
}

describe("the printed link", () => {
  it("is one line on stdout with 127.0.0.1, the port and a 256-bit token in the fragment", () => {
    const lines = ui.daemon.stdout().trim().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(UI_LINK);
    expect(ui.token).toMatch(/^[0-9a-f]{64}$/);
  });

  it("never puts the token in the log", () => {
    expect(ui.daemon.stderr()).toContain(`web UI on http://127.0.0.1:${ui.port}/`);
    expect(ui.daemon.stderr()).not.toContain(ui.token);
  });
});

describe("listening", () => {
  it("binds 127.0.0.1 only", async () => {
    if (process.platform === "linux") {
      const portHex = ui.port.toString(16).toUpperCase().padStart(4, "0");
      const listeners = (file: string) =>
        fs
          .readFileSync(file, "utf8")
          .split("\n")
          .slice(1)
          .map((line) => line.trim().split(/\s+/))
          .filter((fields) => fields[1]?.endsWith(`:${portHex}`) && fields[3] === "0A")
          .map((fields) => fields[1]!.split(":")[0]);
      expect(listeners("/proc/net/tcp")).toEqual(["0100007F"]);
      expect(listeners("/proc/net/tcp6")).toEqual([]);
    }
    // And from the outside: any other address of this machine refuses the connection.
    const others = Object.values(os.networkInterfaces())
      .flat()
      .filter((address) => address && !address.internal && address.family === "IPv4");
    for (const address of others) {
      const outcome = await new Promise<string>((resolve) => {
        const socket = net.connect({ host: address!.address, port: ui.port, timeout: 2_000 });
        socket.once("connect", () => (socket.destroy(), resolve("connected")));
        socket.once("timeout", () => (socket.destroy(), resolve("timeout")));
        socket.once("error", (error: NodeJS.ErrnoException) => resolve(error.code ?? "error"));
      });
      expect(outcome, address!.address).not.toBe("connected");
    }
  });
});

describe("the token (401)", () => {
  it("refuses /api/ requests without a token", async () => {
    for (const apiPath of ["/api/jobs", "/api/ping", "/api/status", "/api/events", "/API/jobs"]) {
      const response = await rawRequest(ui.port, { path: apiPath });
      expect(response.status, apiPath).toBe(401);
      expect(response.headers["www-authenticate"]).toBe('Bearer realm="sundial"');
      expect(response.body).not.toContain("s3cr3t");
    }
  });

  it("refuses a wrong token, of the same length or not, and other schemes", async () => {
    const wrongSameLength = ui.token.replace(/^./, (first) => (first === "0" ? "1" : "0"));
    for (const authorization of [`Bearer ${wrongSameLength}`, `Bearer ${ui.token.slice(0, 63)}`, `Bearer ${ui.token}0`, `Basic ${ui.token}`, ui.token, "Bearer "]) {
      const response = await rawRequest(ui.port, { path: "/api/jobs", headers: { Authorization: authorization } });
      expect(response.status, authorization).toBe(401);
    }
  });

  it("does not take the token from the query string", async () => {
    expect((await rawRequest(ui.port, { path: `/api/jobs?token=${ui.token}` })).status).toBe(401);
  });

  it("refuses a POST without a token before looking at it", async () => {
    const response = await rawRequest(ui.port, {
      method: "POST",
      path: "/api/addJob",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ args: [{ name: "intruder", trigger: { type: "interval", everySeconds: 60 }, command: "touch /tmp/pwned" }] }),
    });
    expect(response.status).toBe(401);
    const jobs = await sundialJson<{ name: string }[]>(["list"], { home });
    expect(jobs.map((job) => job.name)).not.toContain("intruder");
  });

  it("answers the API with the right token, the same as the control socket", async () => {
    const response = await authorized({ path: "/api/jobs" });
    expect(response.status).toBe(200);
    const overHttp = (JSON.parse(response.body) as { result: { id: string; name: string }[] }).result;
    const overSocket = await sundialJson<{ id: string; name: string }[]>(["list"], { home });
    expect(overHttp.map((job) => job.id)).toEqual(overSocket.map((job) => job.id));
    expect(overHttp.map((job) => job.name)).toEqual(["secret-job"]);
  });

  it("changes jobs with a JSON POST and the token", async () => {
    const response = await authorized({
      method: "POST",
      path: "/api/addJob",
      headers: { "Content-Type": "application/json", Origin: ui.origin },
      body: JSON.stringify({ args: [{ name: "from-web", trigger: { type: "interval", everySeconds: 3600 }, command: "true" }] }),
    });
    expect(response.status).toBe(200);
    const jobs = await sundialJson<{ name: string }[]>(["list"], { home });
    expect(jobs.map((job) => job.name)).toContain("from-web");
    await sundial(["remove", "from-web"], { home });
  });
});

describe("the Host header (421)", () => {
  it("refuses a DNS-rebound name even with a valid token", async () => {
    for (const host of [`evil.example:${ui.port}`, `127.0.0.1.evil.example:${ui.port}`, `localhost.evil.example:${ui.port}`]) {
      const response = await authorized({ path: "/api/jobs", headers: { Host: host } });
      expect(response.status, host).toBe(421);
      expect(response.body).not.toContain("s3cr3t");
    }
    // The page itself too: a rebound page must not even load the app.
    expect((await rawRequest(ui.port, { path: "/", headers: { Host: `evil.example:${ui.port}` } })).status).toBe(421);
  });

  it("refuses a Host without the port, with another port, or with none at all", async () => {
    for (const host of ["127.0.0.1", "localhost", `127.0.0.1:${ui.port + 1}`, `0.0.0.0:${ui.port}`, `127.0.0.2:${ui.port}`]) {
      expect((await authorized({ path: "/api/jobs", headers: { Host: host } })).status, host).toBe(421);
    }
    expect((await authorized({ path: "/api/jobs", setHost: false })).status).toBe(421);
  });

  it("refuses two Host headers", async () => {
    const raw = await new Promise<string>((resolve, reject) => {
      const socket = net.connect({ host: "127.0.0.1", port: ui.port });
      let text = "";
      socket.setEncoding("utf8");
      socket.on("data", (chunk: string) => (text += chunk));
      socket.on("end", () => resolve(text));
      socket.on("error", reject);
      socket.write(
        `GET /api/jobs HTTP/1.1\r\nHost: 127.0.0.1:${ui.port}\r\nHost: evil.example:${ui.port}\r\nAuthorization: Bearer ${ui.token}\r\nConnection: close\r\n\r\n`,
      );
    });
    expect(raw).toMatch(/^HTTP\/1\.1 (421|400) /);
    expect(raw).not.toContain("s3cr3t");
  });

  it("accepts 127.0.0.1, localhost and [::1] with the port", async () => {
    for (const host of [`127.0.0.1:${ui.port}`, `localhost:${ui.port}`, `[::1]:${ui.port}`, `LOCALHOST:${ui.port}`]) {
      expect((await authorized({ path: "/api/jobs", headers: { Host: host } })).status, host).toBe(200);
    }
  });

  it("refuses an absolute request target naming another server", async () => {
    const response = await authorized({ path: `http://evil.example:${ui.port}/api/jobs` });
    expect(response.status).toBe(400);
    expect((await authorized({ path: "//evil.example/api/jobs" })).status).toBe(400);
  });
});

describe("the Origin header (403)", () => {
  it("refuses requests from another site, even with a valid token", async () => {
    for (const origin of ["http://evil.example", `http://evil.example:${ui.port}`, "null", `http://127.0.0.1:${ui.port + 1}`, `https://127.0.0.1:${ui.port}`]) {
      const read = await authorized({ path: "/api/jobs", headers: { Origin: origin } });
      expect(read.status, origin).toBe(403);
      expect(read.body).not.toContain("s3cr3t");
      const write = await authorized({
        method: "POST",
        path: "/api/runNow",
        headers: { Origin: origin, "Content-Type": "application/json" },
        body: JSON.stringify({ args: ["secret-job"] }),
      });
      expect(write.status, origin).toBe(403);
    }
    const history = await sundialJson<unknown[]>(["history", "secret-job"], { home });
    expect(history).toEqual([]);
  });

  it("accepts the UI's own origin", async () => {
    for (const origin of [ui.origin, `http://localhost:${ui.port}`]) {
      expect((await authorized({ path: "/api/jobs", headers: { Origin: origin } })).status, origin).toBe(200);
    }
  });
});

describe("CORS", () => {
  it("answers a preflight without any Access-Control-* header", async () => {
    for (const origin of ["http://evil.example", ui.origin]) {
      const response = await rawRequest(ui.port, {
        method: "OPTIONS",
        path: "/api/addJob",
        headers: { Origin: origin, "Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "authorization, content-type" },
      });
      expect(response.status, origin).toBeGreaterThanOrEqual(400);
      expect(corsHeaders(response)).toEqual([]);
    }
    const withToken = await authorized({ method: "OPTIONS", path: "/api/jobs" });
    expect(withToken.status).toBeGreaterThanOrEqual(400);
    expect(corsHeaders(withToken)).toEqual([]);
  });
});

describe("content type (415)", () => {
  it("refuses a POST that is not JSON, with a valid token", async () => {
    const body = JSON.stringify({ args: [{ name: "form-post", trigger: { type: "interval", everySeconds: 60 }, command: "true" }] });
    for (const contentType of ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", undefined]) {
      const headers: Record<string, string> = contentType ? { "Content-Type": contentType } : {};
      const response = await authorized({ method: "POST", path: "/api/addJob", headers, body });
      expect(response.status, String(contentType)).toBe(415);
    }
    const jobs = await sundialJson<{ name: string }[]>(["list"], { home });
    expect(jobs.map((job) => job.name)).not.toContain("form-post");
  });
});

describe("the page and its files", () => {
  it("serves the app with a strict CSP and frame-ancestors 'none'", async () => {
    const response = await rawRequest(ui.port, { path: "/" });
    expect(response.status).toBe(200);
    expect(response.headers["content-type"]).toBe("text/html; charset=utf-8");
    expect(response.headers["content-security-policy"]).toBe(CSP);
    expect(response.headers["x-content-type-options"]).toBe("nosniff");
    expect(response.headers["referrer-policy"]).toBe("no-referrer");
    expect(response.headers["x-frame-options"]).toBe("DENY");
    expect(response.headers["cache-control"]).toBe("no-cache");
    expect(response.body).toContain('<div id="app">');
  });

  it("serves the built assets with their MIME types, cached for good", async () => {
    const page = (await rawRequest(ui.port, { path: "/index.html" })).body;
    const assets = [...page.matchAll(/(?:src|href)="\.?(\/assets\/[^"]+)"/g)].map((match) => match[1]!);
    expect(assets.some((asset) => asset.endsWith(".js"))).toBe(true);
    for (const asset of assets) {
      const response = await rawRequest(ui.port, { path: asset });
      expect(response.status, asset).toBe(200);
      expect(response.headers["content-type"], asset).toBe(asset.endsWith(".js") ? "text/javascript; charset=utf-8" : "text/css; charset=utf-8");
      expect(response.headers["cache-control"]).toBe("public, max-age=31536000, immutable");
      expect(response.headers["content-security-policy"]).toBe(CSP);
    }
  });

  it("answers HEAD without a body", async () => {
    const response = await rawRequest(ui.port, { method: "HEAD", path: "/" });
    expect(response.status).toBe(200);
    expect(response.body).toBe("");
  });

  it("falls back to the app for unknown paths, but not for unknown files", async () => {
    const route = await rawRequest(ui.port, { path: "/jobs/anything" });
    expect(route.status).toBe(200);
    expect(route.body).toContain('<div id="app">');
    const missing = await rawRequest(ui.port, { path: "/assets/missing.js" });
    expect(missing.status).toBe(404);
    expect(missing.headers["content-type"]).toBe("text/plain; charset=utf-8");
  });

  it("refuses to change static files", async () => {
    const response = await rawRequest(ui.port, { method: "POST", path: "/index.html", headers: { "Content-Type": "application/json" }, body: "{}" });
    expect(response.status).toBe(405);
    expect(response.headers.allow).toBe("GET, HEAD");
  });

  it("never serves a file from outside renderer/dist", async () => {
    const token = fs.readFileSync(path.join(home, "token"), "utf8").trim();
    const attempts = [
      "/../jobs.json",
      "/%2e%2e/token",
      "/..%2ftoken",
      "/%2e%2e%2ftoken",
      "/.%2e/token",
      "/assets/..%2f..%2f..%2fpackage.json",
      "/assets/%2e%2e/%2e%2e/%2e%2e/package.json",
      "/..%5c..%5cpackage.json",
      `/${"../".repeat(12)}etc/passwd`,
      `/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd`,
      "/%00index.html",
      "/index.html%00.js",
      "/.vite/manifest.json",
      `/${encodeURIComponent(path.join(home, "token"))}`,
      // An encoded "api" must not reach the API without the token check.
      "/%61pi/jobs",
      "/%2fapi/jobs",
    ];
    for (const attempt of attempts) {
      const response = await rawRequest(ui.port, { path: attempt });
      expect(response.body, attempt).not.toContain(token);
      expect(response.body, attempt).not.toContain("s3cr3t");
      expect(response.body, attempt).not.toContain('"name": "sundial"');
      expect(response.body, attempt).not.toContain("root:x:0:0");
      // Either refused, or the app's own page.
      if (response.status === 200) expect(response.body, attempt).toContain('<div id="app">');
    }
  });
});

describe("headers on every answer", () => {
  it("never sent an Access-Control-* header in this whole file", () => {
    expect(seenResponses.length).toBeGreaterThan(50);
    expect(seenResponses.flatMap(corsHeaders)).toEqual([]);
  });

  it("sent nosniff and no-referrer on every answer", () => {
    for (const response of seenResponses) {
      expect(response.headers["x-content-type-options"]).toBe("nosniff");
      expect(response.headers["referrer-policy"]).toBe("no-referrer");
    }
  });
});

describe("the token file", () => {
  it("is private (0600) and reused across restarts", async () => {
    const restartHome = tempHome("web-token");
    const first = await startUiDaemon(restartHome);
    const tokenFile = path.join(restartHome, "token");
    expect(fs.statSync(tokenFile).mode & 0o777).toBe(0o600);
    expect(fs.readFileSync(tokenFile, "utf8").trim()).toBe(first.token);
    expect(await first.daemon.stop()).toBe(0);

    const second = await startUiDaemon(restartHome);
    expect(second.token).toBe(first.token);
    expect((await rawRequest(second.port, { path: "/api/jobs", headers: { Authorization: `Bearer ${first.token}` } })).status).toBe(200);
    expect(await second.daemon.stop()).toBe(0);
  });

  it("is replaced when it holds no valid token", async () => {
    const corruptHome = tempHome("web-token-bad");
    fs.writeFileSync(path.join(corruptHome, "token"), "short\n", { mode: 0o644 });
    const started = await startUiDaemon(corruptHome);
    expect(started.token).toMatch(/^[0-9a-f]{64}$/);
    expect(fs.statSync(path.join(corruptHome, "token")).mode & 0o777).toBe(0o600);
    expect(await started.daemon.stop()).toBe(0);
  });
});

describe("start-up errors", () => {
  it("says the port is in use in one line, exits non-zero and leaves the home untouched", async () => {
    const busyHome = tempHome("web-busy");
    const result = await sundial(["daemon", "--ui", "--port", String(ui.port)], { home: busyHome, timeoutMs: 15_000 });
    expect(result.code).toBe(5);
    expect(result.stderr.trim().split("\n")).toHaveLength(1);
    expect(result.stderr).toContain(`--port ${ui.port}: port in use; choose another with --port`);
    expect(result.stdout).toBe("");
    // The engine was never opened and the control socket was released.
    expect(fs.existsSync(path.join(busyHome, "jobs.json"))).toBe(false);
    expect(fs.existsSync(path.join(busyHome, "sundial.sock"))).toBe(false);
    // The home can be used right away by a daemon without the UI.
    const plain = await startDaemon(busyHome);
    expect(await plain.stop()).toBe(0);
  });

  it("rejects --port without --ui and a port that is not a number", async () => {
    const badHome = tempHome("web-bad-port");
    const withoutUi = await sundial(["daemon", "--port", "8080"], { home: badHome });
    expect(withoutUi.code).toBe(2);
    expect(withoutUi.stderr.trim()).toBe("--port: only with --ui (sundial daemon --ui --port N)");
    for (const port of ["70000", "http", "80.5", "0x50"]) {
      const result = await sundial(["daemon", "--ui", "--port", port], { home: badHome });
      expect(result.code, port).toBe(2);
      expect(result.stderr, port).toMatch(/^--port: /);
    }
    expect(fs.existsSync(path.join(badHome, "jobs.json"))).toBe(false);
  });

  it("says to build first when renderer/dist is missing", () => {
    const empty = tempHome("no-renderer");
    expect(() => checkRendererBuilt(path.join(empty, "dist"))).toThrow(RendererMissingError);
    expect(() => checkRendererBuilt(empty)).toThrow(/run npm run build first/);
  });
});
