/**
 * Hash routing: `#/` is the jobs list, `#/jobs/<id>` a job's detail (a deleted job's too, for
 * its kept runs), `#/agenda` the runs to come (issue 17), `#/history` every job's runs, `#/alerts` every alert (issue 16), `#/settings` the settings. A `#token=…`
 * fragment is not a route: api.ts takes it away before the router first looks.
 */
export type Route = { name: "jobs" } | { name: "job"; jobId: string } | { name: "agenda" } | { name: "history" } | { name: "alerts" } | { name: "settings" };

/** The route a location hash names; anything unknown is the jobs list. */
export function parseRoute(hash: string): Route {
  if (/^#\/history\/?$/.test(hash)) return { name: "history" };
  if (/^#\/agenda\/?$/.test(hash)) return { name: "agenda" };
  if (/^#\/settings\/?$/.test(hash)) return { name: "settings" };
  if (/^#\/alerts\/?$/.test(hash)) return { name: "alerts" };
  const match = /^#\/jobs\/([^/]+)\/?$/.exec(hash);
  if (match) {
    try {
      return { name: "job", jobId: decodeURIComponent(match[1]!) };
    } catch {
      return { name: "jobs" };
    }
  }
  return { name: "jobs" };
}

/** The hash for a route. */
export function routeHash(route: Route): string {
  switch (route.name) {
    case "job":
      return `#/jobs/${encodeURIComponent(route.jobId)}`;
    case "history":
      return "#/history";
    case "agenda":
      return "#/agenda";
    case "settings":
      return "#/settings";
    case "alerts":
      return "#/alerts";
    case "jobs":
      return "#/";
    default:
      return unhandledRoute(route);
  }
}

function unhandledRoute(route: never): never {
  throw new Error(`No hash for route ${JSON.stringify(route)}`);
}

/** The current route, following the address bar's hash. */
export class Router {
  route = $state<Route>({ name: "jobs" });

  readonly #target: Window;

  constructor(target: Window = window) {
    this.#target = target;
    this.route = parseRoute(target.location.hash);
  }

  /** Follows back/forward and typed URLs; returns the function that stops following. */
  start(): () => void {
    const onHashChange = () => {
      this.route = parseRoute(this.#target.location.hash);
    };
    this.#target.addEventListener("hashchange", onHashChange);
    return () => this.#target.removeEventListener("hashchange", onHashChange);
  }

  navigate(route: Route): void {
    this.route = route;
    const hash = routeHash(route);
    if (this.#target.location.hash !== hash) this.#target.location.hash = hash;
  }
}
