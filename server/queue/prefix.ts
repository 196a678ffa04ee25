import "server-only";
import { env } from "@/lib/env";

/** Prefix of every Redis key of the queues and the live-update channel (several installs, one Redis). */
export const queuePrefix = () => env().QUEUE_PREFIX;
