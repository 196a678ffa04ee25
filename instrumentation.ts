/** Runs once per server process before it handles requests (Next's instrumentation hook). */
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  (await import("./server/peer-address")).installPeerAddressGuard();
  const { boot } = await import("./server/boot");
  await boot();
}
