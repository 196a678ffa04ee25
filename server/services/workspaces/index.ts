export * from "./brand";
export * from "./invitations";
export * from "./roles";
export * from "./schemas";
export * from "./sso";
export * from "./sso-schemas";
export * from "./workspaces";
