/**
 * The test's side door into the double: when the app was started with an IPC channel
 * (child_process `stdio: [..., "ipc"]`), requests `{ id, command, args }` are answered with
 * `{ id, ok, value | error }`. Without a channel there is nothing to drive, and no door.
 */
export function startControl(commands) {
  if (typeof process.send !== "function") return;
  process.on("message", async (message) => {
    if (!message || typeof message.id !== "number") return;
    try {
      const command = commands[message.command];
      if (!command) throw new Error(`electron double: no control command ${message.command}`);
      const value = await command(message.args ?? {});
      process.send({ id: message.id, ok: true, value: value ?? null });
    } catch (error) {
      process.send({ id: message.id, ok: false, error: error?.message ?? String(error) });
    }
  });
  // The channel must not be what keeps the app alive (electron.mjs decides that).
  process.channel?.unref();
}
