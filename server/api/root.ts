import { authRouter } from "./routers/auth";
import { workspaceRouter } from "./routers/workspace";
import { createCallerFactory, createTRPCRouter } from "./trpc";

/**
 * One router per domain (the original spec's list). Content, email, leads, analytics and
 * integrations join here as their features land, each as `server/api/routers/<domain>.ts`.
 */
export const appRouter = createTRPCRouter({
  auth: authRouter,
  workspace: workspaceRouter,
});

export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);
