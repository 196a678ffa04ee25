import { inject } from "vitest";
import { TSX_NODE_ARGS } from "@/scripts/tsx-node-args";
import { FIXTURES } from "./fixture-entries";

/*
 * The worker and the CLI as child processes run the JavaScript build that production runs
 * (`dist/worker.mjs`, `dist/cli.mjs`: scripts/server-build-options.mjs), made once per test run by
 * global-setup into a folder of its own (a node process starts it in about half the time tsx takes
 * to compile the TypeScript). Without that folder (a file run outside the suite's config), tsx runs
 * the sources.
 */

function entryArgs(name: "worker" | "cli", source: string): string[] {
  const dir = inject("serverBuild");
  return dir ? ["--conditions=react-server", `${dir}/${name}.mjs`] : [...TSX_NODE_ARGS, source];
}

/** Node's arguments to run the CLI (then its own arguments), with the repository as working directory. */
export const cliNodeArgs = () => entryArgs("cli", "cli/index.ts");

/** Node's arguments to run a fixture (then its own arguments), with the repository as working directory. */
export function fixtureNodeArgs(name: keyof typeof FIXTURES): string[] {
  const dir = inject("serverBuild");
  return dir
    ? ["--conditions=react-server", `${dir}/fixtures/${name}.mjs`]
    : [...TSX_NODE_ARGS, FIXTURES[name]];
}

/** Node's arguments to run the worker, with the repository as working directory. */
export const workerNodeArgs = () => entryArgs("worker", "server/worker.ts");
