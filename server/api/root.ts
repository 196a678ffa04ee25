import { authRouter } from "./routers/auth";
import { contentRouter } from "./routers/content";
import { notificationsRouter } from "./routers/notifications";
import { workspaceRouter } from "./routers/workspace";
import { createCallerFactory, createTRPCRouter } from "./trpc";

/**
 * One router per domain (the original spec's list). Email, leads, analytics and integrations
 * join here as their features land, each as `server/api/routers/<domain>.ts`.
 */
export const appRouter = createTRPCRouter({
  auth: authRouter,
  workspace: workspaceRouter,
  content: contentRouter,
  notifications: notificationsRouter,
});

export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);
