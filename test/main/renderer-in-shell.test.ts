import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import { chromium, type BrowserContext, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CONTENT_SECURITY_POLICY, appResponseHeaders, resolveAppFile } from "../../electron/main/app-protocol.js";
import { jobHash } from "../../electron/main/renderer-routes.js";
import { PRELOAD_KEYS } from "../../electron/preload/bridge.js";
import { jobView } from "./fixtures.js";
import { tempFolder } from "../support/temp-folders.mjs";

const root = path.resolve(import.meta.dirname, "..", "..");
const rendererDist = path.join(root, "renderer", "dist");
const CHROMIUM = process.env.SUNDIAL_CHROMIUM ?? "/usr/bin/chromium";

/**
 * The built renderer as the desktop window gets it, minus Electron: every file answered the
 * way protocol.ts answers it (same resolver, same headers, same CSP), and a `window.sundial`
 * shaped like the preload's bridge (the contract's methods plus subscribe, all functions).
 * Chromium stands in for Electron's renderer; http stands in for sundial:// (a custom
 * scheme needs Electron), which is the one difference: the CSP names that origin instead.
 */
describe.runIf(fs.existsSync(CHROMIUM) && fs.existsSync(path.join(rendererDist, "index.html")))("the renderer inside the shell's CSP and bridge", () => {
  let server: http.Server;
  let origin: string;
  let context: BrowserContext;
  let profile: string;
  const problems: string[] = [];
  const job = jobView({ id: "job-backup", name: "backup", nextRunAt: new Date(Date.now() + 12 * 60_000).toISOString() });

  beforeAll(async () => {
    server = http.createServer((request, response) => {
      const file = resolveAppFile(`sundial://app${new URL(request.url ?? "/", "http://x").pathname}`, rendererDist);
      if (!file || !fs.existsSync(file) || fs.statSync(file).isDirectory()) {
        response.writeHead(404).end();
        return;
      }
      const headers = appResponseHeaders(file);
      // The policy names its origin (script-src sundial://app/assets/): here that is our http origin.
      headers["Content-Security-Policy"] = CONTENT_SECURITY_POLICY.replaceAll("sundial://app", origin);
      response.writeHead(200, headers).end(fs.readFileSync(file));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    origin = `http://127.0.0.1:${(server.address() as { port: number }).port}`;

    profile = tempFolder("shell-chromium");
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
      locale: "en-US",
    });
    // The fake bridge, installed before the page's scripts run, as the preload is.
    await context.addInitScript({
      content: `
        document.addEventListener("securitypolicyviolation", (event) => console.error("CSP violation: " + event.violatedDirective + " blocked " + (event.blockedURI || "inline code")));
        const job = ${JSON.stringify(job)};
        const status = { pid: 1, home: "/home/ann/.config/Sundial", version: "0.1.0", startedAt: new Date().toISOString(), jobs: 1, pausedJobs: 0, runningRuns: [], allPaused: false, pausedUntil: null, nextRun: null, warnings: [] };
        const answers = { listJobs: [job], getJob: job, history: [], listAlerts: [], listChannels: [], status, previewTrigger: { times: [], description: "" } };
        window.__sundialCalls = [];
        const bridge = {};
        for (const key of ${JSON.stringify(PRELOAD_KEYS)}) {
          bridge[key] = key === "subscribe"
            ? () => () => {}
            : async (...args) => { window.__sundialCalls.push(key); return answers[key] ?? null; };
        }
        Object.defineProperty(window, "sundial", { value: Object.freeze(bridge), enumerable: true });
      `,
    });
  }, 60_000);

  afterAll(async () => {
    await context?.close();
    if (profile) fs.rmSync(profile, { recursive: true, force: true });
    await new Promise((resolve) => server?.close(resolve));
  });

  async function open(hash: string): Promise<Page> {
    const page = await context.newPage();
    page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
    page.on("console", (message) => {
      if (message.type() === "error") problems.push(`console error: ${message.text()}`);
    });
    await page.goto(`${origin}/index.html${hash}`);
    return page;
  }

  it("lists jobs through window.sundial, with no CSP violation or script error", async () => {
    const page = await open("#/");
    await page.getByRole("link", { name: "backup" }).first().waitFor({ timeout: 15_000 });
    // A string: the tests are type-checked without the DOM library.
    const calls = (await page.evaluate("window.__sundialCalls")) as string[];
    expect(calls).toContain("listJobs");
    expect(problems).toEqual([]);
    await page.close();
  });

  it("opens a job's detail at the hash a notification click uses", async () => {
    const page = await open(jobHash(job.id));
    await page.getByRole("heading", { name: "backup" }).first().waitFor({ timeout: 15_000 });
    // A string: the tests are type-checked without the DOM library.
    const calls = (await page.evaluate("window.__sundialCalls")) as string[];
    // The detail reads the job's runs (and their logs) through the bridge.
    expect(calls).toContain("history");
    expect(problems).toEqual([]);
    await page.close();
  });
});
