/**
 * A second instance's hand-over to the first (electron.mjs runs this synchronously, as
 * Electron's requestSingleInstanceLock blocks): sends argv and waits for "ok".
 * Usage: node hand-over.mjs SOCKET JSON
 */
import net from "node:net";

const [socketPath, message] = process.argv.slice(2);
const deadline = Date.now() + 15_000;
function attempt() {
  const socket = net.connect(socketPath);
  let answer = "";
  socket.setEncoding("utf8");
  socket.on("connect", () => socket.end(message));
  socket.on("data", (chunk) => (answer += chunk));
  socket.on("close", () => {
    if (answer === "ok") process.exit(0);
  });
  socket.on("error", () => {
    // The first instance may not listen yet: it took the lock a moment ago.
    if (Date.now() > deadline) process.exit(1);
    setTimeout(attempt, 50);
  });
}
attempt();
