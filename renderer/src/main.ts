/** Entry point: take the access token (if any) first, then mount the app. */
import { mount } from "svelte";
import "./app.css";
import App from "./App.svelte";
import { createClient } from "./lib/api.js";
import { AppState } from "./lib/state/app.svelte.js";

// createClient runs before the router reads the hash: `#token=…` must never be taken for a route.
const client = createClient();
const target = document.getElementById("app");
if (!target) throw new Error("index.html lost its #app element");
mount(App, { target, props: { app: new AppState(client) } });
