/** Node resolve hook: the bare specifier `electron` is the double; nothing else changes. */
const DOUBLE = new URL("./electron.mjs", import.meta.url).href;

export async function resolve(specifier, context, nextResolve) {
  if (specifier === "electron") return { url: DOUBLE, shortCircuit: true };
  return nextResolve(specifier, context);
}
