/**
 * The built renderer (renderer/dist) as static files for `sundial daemon --ui`. Only files
 * inside that folder can ever be sent: every path segment is decoded once and checked, and
 * the resolved file (symlinks followed) must still lie under the folder.
 */
import fs from "node:fs";
import type { ServerResponse } from "node:http";
import path from "node:path";
import { packageRoot } from "../core/version.js";

/** `--ui` was asked for but the renderer was never built. */
export class RendererMissingError extends Error {
  override name = "RendererMissingError";
  constructor(readonly folder: string) {
    super(`--ui: the web UI is not built (${path.join(folder, "index.html")} is missing); run npm run build first`);
  }
}

/** Where the built renderer lives: renderer/dist under the package root. */
export function defaultRendererRoot(): string {
  return path.join(packageRoot() ?? process.cwd(), "renderer", "dist");
}

/** Throws RendererMissingError unless `folder` holds a built renderer; returns its real path. */
export function checkRendererBuilt(folder: string): string {
  try {
    const real = fs.realpathSync(folder);
    if (fs.statSync(path.join(real, "index.html")).isFile()) return real;
  } catch {
    // Missing or unreadable: reported below.
  }
  throw new RendererMissingError(folder);
}

const MIME_TYPES: Readonly<Record<string, string>> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".map": "application/json; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".jpg": "image/jpeg",
  ".jpeg": "image/jpeg",
  ".gif": "image/gif",
  ".webp": "image/webp",
  ".ico": "image/x-icon",
  ".woff": "font/woff",
  ".woff2": "font/woff2",
  ".ttf": "font/ttf",
  ".txt": "text/plain; charset=utf-8",
  ".webmanifest": "application/manifest+json",
};

export function mimeType(file: string): string {
  return MIME_TYPES[path.extname(file).toLowerCase()] ?? "application/octet-stream";
}

/**
 * Serves `pathname` (already normalised by the URL parser: no `.` or `..` segments) from
 * `root` (a real path). An unknown path without a file extension gets index.html (the app
 * routes in the hash, so this only catches hand-typed paths); an unknown file is a 404, so a
 * missing script never arrives as HTML.
 */
export async function serveStatic(root: string, pathname: string, method: "GET" | "HEAD", response: ServerResponse): Promise<void> {
  const segments = decodeSegments(pathname);
  if (!segments) return sendText(response, 400, "Bad path");
  const wanted = segments.length === 0 || segments.at(-1) === "" ? null : await resolveInside(root, segments);
  if (wanted) return sendFile(response, wanted, method, segments[0] === "assets");
  if (segments.length > 0 && path.extname(segments.at(-1)!) !== "") return sendText(response, 404, "Not found");
  const index = await resolveInside(root, ["index.html"]);
  if (!index) return sendText(response, 404, "Not found");
  return sendFile(response, index, method, false);
}

/**
 * The decoded segments, or null when one cannot be a plain file name. A segment that decodes
 * to a separator, a dot name or a NUL byte (`..%2ftoken`, `%2e%2e`, `%00`) never reaches
 * the file system; dot files are never served either.
 */
function decodeSegments(pathname: string): string[] | null {
  const raw = pathname.split("/").slice(1);
  const segments: string[] = [];
  for (const [index, part] of raw.entries()) {
    let segment: string;
    try {
      segment = decodeURIComponent(part);
    } catch {
      return null;
    }
    if (segment === "" && index < raw.length - 1) return null;
    if (/[/\\\0]/.test(segment) || segment.startsWith(".")) return null;
    segments.push(segment);
  }
  return segments;
}

/** The real path of a regular file at root/segments, if it exists and lies under root. */
async function resolveInside(root: string, segments: string[]): Promise<string | null> {
  const candidate = path.join(root, ...segments);
  try {
    const real = await fs.promises.realpath(candidate);
    const relative = path.relative(root, real);
    if (relative === "" || relative.startsWith("..") || path.isAbsolute(relative)) return null;
    return (await fs.promises.stat(real)).isFile() ? real : null;
  } catch {
    return null;
  }
}

async function sendFile(response: ServerResponse, file: string, method: "GET" | "HEAD", hashedAsset: boolean): Promise<void> {
  const body = await fs.promises.readFile(file);
  response.writeHead(200, {
    "Content-Type": mimeType(file),
    "Content-Length": body.length,
    // Vite names files under assets/ by content hash, so they never change; everything else
    // (index.html names the current hashes) is revalidated on each load.
    "Cache-Control": hashedAsset ? "public, max-age=31536000, immutable" : "no-cache",
  });
  response.end(method === "HEAD" ? undefined : body);
}

export function sendText(response: ServerResponse, status: number, text: string, headers: Record<string, string> = {}): void {
  response.writeHead(status, {
    "Content-Type": "text/plain; charset=utf-8",
    "Content-Length": Buffer.byteLength(text),
    "Cache-Control": "no-store",
    ...headers,
  });
  response.end(text);
}
