/**
 * Masking secrets (issue 16): every face shows webhook URLs, ping URLs and channel commands
 * the same way, keeping the host and the last 4 characters so two tokens can be told apart.
 */
import { describe, expect, it } from "vitest";
import { isMasked, maskCommand, maskUrl } from "../../electron/shared/secrets.js";
import { httpUrlProblem } from "../../electron/shared/channels.js";

describe("masking", () => {
  it("keeps a URL's scheme, host and last 4 characters, and drops a user:password", () => {
    expect(maskUrl("https://hc-ping.com/5e1b2c9d-77aa-4f0e-9b1a-0c3e2f4a1a2b")).toBe("https://hc-ping.com/••••1a2b");
    expect(maskUrl("https://hooks.slack.com/services/T000/B000/XXXXabcd?x=1")).toBe("https://hooks.slack.com/••••?x=1");
    expect(maskUrl("https://user:pass@example.com:8443/hook/token1234")).toBe("https://example.com:8443/••••1234");
    expect(maskUrl("https://ntfy.sh/")).toBe("https://ntfy.sh/");
  });

  it("keeps a command's first word", () => {
    expect(maskCommand("curl -d @- https://example.com/?token=abcdef")).toBe("curl ••••cdef");
    expect(maskCommand("cat")).toBe("cat");
  });

  it("recognises a masked value, which is refused as a URL", () => {
    expect(isMasked(maskUrl("https://hc-ping.com/abcdef123456"))).toBe(true);
    expect(httpUrlProblem("https://hc-ping.com/••••3456")).toMatch(/^is masked/);
    expect(httpUrlProblem("ftp://example.com/")).toBe("must be an http:// or https:// URL, not ftp:");
    expect(httpUrlProblem("https://example.com/x")).toBeNull();
  });
});
