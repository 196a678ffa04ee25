export * from "./brand";
export * from "./invitations";
export * from "./roles";
export * from "./schemas";
export * from "./workspaces";
