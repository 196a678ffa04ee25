import { authRouter } from "./routers/auth";
import { contentRouter } from "./routers/content";
import { jobsRouter } from "./routers/jobs";
import { mediaRouter } from "./routers/media";
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
  media: mediaRouter,
  notifications: notificationsRouter,
  jobs: jobsRouter,
});

export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);
