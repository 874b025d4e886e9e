/**
 * Debian's Chromium driven by playwright-core, headless, with a throw-away profile
 * (DESIGN.md, "Testing on machines without a display"). Every page is watched for script
 * errors and Content-Security-Policy violations, which a test asserts are absent: the UI
 * must work under the CSP the daemon serves.
 */
import fs from "node:fs";
import { chromium, type BrowserContext, type Page } from "playwright-core";
import { tempFolder } from "./temp-folders.mjs";

/** `SUNDIAL_CHROMIUM` overrides the Debian path (e.g. on a developer's Mac). */
export const CHROMIUM_PATH = process.env.SUNDIAL_CHROMIUM ?? "/usr/bin/chromium";

/** The flags DESIGN.md gives for Chromium on machines without a display. */
export const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/**
 * Chromium logs every 4xx answer as a console error. 400, 404 and 409 are the engine's
 * verdicts (an invalid cron in the preview, a deleted job), part of normal use; 401, 403,
 * 421 or a 5xx would mean the page and the host disagree, and are kept as problems.
 */
const API_VERDICT = /^Failed to load resource: the server responded with a status of (400|404|409) /;

export interface TestBrowser {
  readonly context: BrowserContext;
  /** A new tab, watched for page errors and CSP violations; opens `url` if given. */
  newPage(url?: string): Promise<Page>;
  /** Script errors, failed console errors and CSP violations seen on any page so far. */
  problems(): string[];
  /** Closes Chromium and removes its profile folder. */
  close(): Promise<void>;
}

export async function launchBrowser(options: { width?: number; height?: number } = {}): Promise<TestBrowser> {
  const userDataDir = tempFolder("chromium");
  let context: BrowserContext;
  try {
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM_PATH,
      headless: true,
      args: CHROMIUM_ARGS,
      viewport: { width: options.width ?? 1280, height: options.height ?? 800 },
      // Fixed, so screenshots and formatted text do not depend on the machine.
      locale: "en-US",
      colorScheme: "light",
    });
  } catch (error) {
    fs.rmSync(userDataDir, { recursive: true, force: true });
    throw error;
  }
  const problems: string[] = [];
  const handedOut = new Set<Page>();

  function watch(page: Page): Page {
    page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
    page.on("console", (message) => {
      if (message.type() !== "error" || API_VERDICT.test(message.text())) return;
      problems.push(`console error: ${message.text()}`);
    });
    return page;
  }
  for (const page of context.pages()) watch(page);
  // Reported by the page itself, so a violation is caught even when Chromium logs it quietly.
  // (A string: the tests are type-checked without the DOM library.)
  await context.addInitScript({
    content: `document.addEventListener("securitypolicyviolation", (event) => {
      console.error("CSP violation: " + event.violatedDirective + " blocked " + (event.blockedURI || "inline code"));
    });`,
  });

  return {
    context,
    async newPage(url) {
      // The persistent context opens with one blank tab: hand that one out first.
      const blank = context.pages().find((page) => page.url() === "about:blank" && !handedOut.has(page));
      const page = blank ?? watch(await context.newPage());
      handedOut.add(page);
      if (url) await page.goto(url);
      return page;
    },
    problems: () => [...problems],
    async close() {
      await context.close();
      fs.rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}
