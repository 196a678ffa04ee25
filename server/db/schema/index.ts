export * from "./activity";
export * from "./auth";
export * from "./content";
export * from "./email";
export * from "./leads";
export * from "./workspaces";
