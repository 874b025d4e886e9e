import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { APP_INDEX_URL, CONTENT_SECURITY_POLICY, appResponseHeaders, contentTypeFor, isAppUrl, resolveAppFile } from "../../electron/main/app-protocol.js";
import { decideNavigation, isAllowedExternalUrl } from "../../electron/main/navigation-policy.js";

const root = path.resolve("/opt/sundial/renderer/dist");

describe("the sundial://app/ protocol", () => {
  it("maps app URLs to files under renderer/dist, / to index.html", () => {
    expect(resolveAppFile(APP_INDEX_URL, root)).toBe(path.join(root, "index.html"));
    expect(resolveAppFile("sundial://app/", root)).toBe(path.join(root, "index.html"));
    expect(resolveAppFile("sundial://app", root)).toBe(path.join(root, "index.html"));
    expect(resolveAppFile("sundial://app/assets/index-B26jxB7h.js?v=1#x", root)).toBe(path.join(root, "assets", "index-B26jxB7h.js"));
    expect(resolveAppFile("sundial://app/assets/a%20b.css", root)).toBe(path.join(root, "assets", "a b.css"));
  });

  it("refuses every way out of the folder", () => {
    for (const url of [
      "sundial://app/../package.json",
      "sundial://app/%2e%2e/package.json",
      "sundial://app/assets/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
      "sundial://app/..%2f..%2fetc%2fpasswd",
      "sundial://app/..%5c..%5cwindows%5cwin.ini",
      "sundial://app/assets/%00.js",
      "sundial://app/%E0%A4%A",
      "sundial://app/%2fetc%2fpasswd",
    ]) {
      const file = resolveAppFile(url, root);
      if (file !== null) expect(file.startsWith(root + path.sep), url).toBe(true);
    }
    // The URL parser already resolves dot segments (also %2e%2e) at the root: they stay inside.
    expect(resolveAppFile("sundial://app/../package.json", root)).toBe(path.join(root, "package.json"));
    expect(resolveAppFile("sundial://app/%2e%2e/package.json", root)).toBe(path.join(root, "package.json"));
    // Encoded separators survive the parser and are decoded by us: refused.
    expect(resolveAppFile("sundial://app/..%2f..%2fetc%2fpasswd", root)).toBeNull();
    expect(resolveAppFile("sundial://app/..%5c..%5cwindows%5cwin.ini", root)).toBeNull();
    expect(resolveAppFile("sundial://app/assets/%00.js", root)).toBeNull();
    expect(resolveAppFile("sundial://app/%E0%A4%A", root)).toBeNull();
  });

  it("serves nothing for other hosts, schemes or credentials", () => {
    expect(resolveAppFile("sundial://evil/index.html", root)).toBeNull();
    expect(resolveAppFile("file:///opt/sundial/renderer/dist/index.html", root)).toBeNull();
    expect(resolveAppFile("sundial://user:pw@app/index.html", root)).toBeNull();
    expect(resolveAppFile("not a url", root)).toBeNull();
  });

  it("sends a strict CSP and the right content types with every file", () => {
    const headers = appResponseHeaders(path.join(root, "assets", "index.js"));
    expect(headers["Content-Type"]).toBe("text/javascript; charset=utf-8");
    expect(headers["Content-Security-Policy"]).toBe(CONTENT_SECURITY_POLICY);
    expect(headers["X-Content-Type-Options"]).toBe("nosniff");
    expect(CONTENT_SECURITY_POLICY).toContain("default-src 'none'");
    expect(CONTENT_SECURITY_POLICY).toContain("script-src sundial://app/assets/;");
    expect(CONTENT_SECURITY_POLICY).toContain("frame-ancestors 'none'");
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-|data:|\*|http:/);
    expect(contentTypeFor("index.html")).toBe("text/html; charset=utf-8");
    expect(contentTypeFor("icon.svg")).toBe("image/svg+xml");
    expect(contentTypeFor("blob.bin")).toBe("application/octet-stream");
  });

  it("is the same policy the session adds to every response (security.ts repeats it as a literal)", () => {
    const source = fs.readFileSync(path.join(import.meta.dirname, "..", "..", "electron", "main", "security.ts"), "utf8");
    const literal = /"Content-Security-Policy": \[\s*"([^"]+)",?\s*\]/.exec(source)?.[1];
    expect(literal).toBe(CONTENT_SECURITY_POLICY);
  });

  it("recognises app URLs by scheme and host only", () => {
    expect(isAppUrl("sundial://app/index.html#/jobs/x")).toBe(true);
    expect(isAppUrl("sundial://application/index.html")).toBe(false);
    expect(isAppUrl("https://app/index.html")).toBe(false);
  });
});

describe("navigation from the window", () => {
  it("stays inside the app, opens allow-listed https help pages outside, and refuses the rest", () => {
    expect(decideNavigation("sundial://app/index.html#/jobs/x", "navigate")).toBe("allow");
    expect(decideNavigation("sundial://app/index.html", "newWindow")).toBe("deny");
    expect(decideNavigation("https://crontab.guru/#0_3_*_*_*", "newWindow")).toBe("openExternal");
    expect(decideNavigation("https://crontab.guru/", "navigate")).toBe("openExternal");
    for (const url of ["https://evil.example/", "http://crontab.guru/", "file:///etc/passwd", "smb://host/share", "javascript:alert(1)", "https://crontab.guru.evil.example/"]) {
      expect(decideNavigation(url, "navigate"), url).toBe("deny");
      expect(decideNavigation(url, "newWindow"), url).toBe("deny");
    }
  });

  it("allows external links only on the listed https origins and paths", () => {
    expect(isAllowedExternalUrl("https://en.wikipedia.org/wiki/List_of_tz_database_time_zones")).toBe(true);
    expect(isAllowedExternalUrl("https://en.wikipedia.org/wiki/Cron")).toBe(false);
    expect(isAllowedExternalUrl("https://user@crontab.guru/")).toBe(false);
    expect(isAllowedExternalUrl("https://crontab.guru:8443/")).toBe(false);
  });
});
