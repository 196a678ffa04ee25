import type { BuildOptions } from "esbuild";

export function serverBuildOptions(root: string, outdir: string): BuildOptions;
export function latin1Source(text: string): string;
