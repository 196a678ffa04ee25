/**
 * A stand-in web process for tests/integration/http-limits.test.ts: takes `count` live-update
 * stream slots for `userId` (TTL `ttlMs`), says "held", then keeps them until it is killed.
 * Usage: node --import tsx tests/helpers/hold-sse-slots.ts <userId> <count> <ttlMs>
 */
import { acquireStreamSlot } from "@/server/sse";

const [userId, count, ttlMs] = process.argv.slice(2);
for (let i = 0; i < Number(count); i++) {
  if (!(await acquireStreamSlot(userId!, Number(count), Number(ttlMs)))) process.exit(3);
}
console.log("held");
setInterval(() => {}, 60_000);
