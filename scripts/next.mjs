#!/usr/bin/env node
// `npm run dev` / `npm start`: Next.js honouring PORT and HOST (next itself reads only PORT).
import { spawn } from "node:child_process";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const [command = "dev", ...rest] = process.argv.slice(2);
const port = process.env.PORT || "3000";
const host = process.env.HOST || (command === "start" ? "0.0.0.0" : "localhost");
process.env.NEXT_TELEMETRY_DISABLED ??= "1";
const nextBin = require.resolve("next/dist/bin/next");
// How long `npm start` keeps an idle keep-alive connection open: longer than a proxy in front keeps
// its own to us (nginx, a cloud load balancer: 60 s), so the proxy never sends a request down a
// connection we are closing at that instant and answers 502. Node's default is 5 s; the Docker image's
// standalone server reads the same variable.
const keepAlive =
  command === "start" ? ["--keepAliveTimeout", process.env.KEEP_ALIVE_TIMEOUT || "65000"] : [];

const child = spawn(
  process.execPath,
  [nextBin, command, "--port", port, "--hostname", host, ...keepAlive, ...rest],
  {
    stdio: "inherit",
    env: process.env,
  },
);
for (const sig of ["SIGINT", "SIGTERM"]) process.on(sig, () => child.kill(sig));
child.on("exit", (code, signal) => process.exit(signal ? 1 : (code ?? 0)));
