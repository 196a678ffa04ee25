/**
 * Node arguments for running a TypeScript entry point (worker, CLI, a test fixture) in a child
 * process. `--conditions=react-server` resolves the `server-only` marker that server modules import
 * to its empty build, as Next does for server code; without it that marker throws on load.
 */
export const TSX_NODE_ARGS = ["--conditions=react-server", "--import", "tsx"] as const;
