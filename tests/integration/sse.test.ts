import { randomUUID } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import { publishEvent, subscribeEvents } from "@/server/events";
import { endEventStreams, openEventStream } from "@/server/sse";

async function readUntil(res: Response, predicate: (text: string) => boolean, ms = 5000) {
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let text = "";
  const deadline = Date.now() + ms;
  while (!predicate(text) && Date.now() < deadline) {
    const chunk = await Promise.race([
      reader.read(),
      new Promise<{ done: true; value: undefined }>((r) =>
        setTimeout(() => r({ done: true, value: undefined }), 200),
      ),
    ]);
    if (chunk.value) text += decoder.decode(chunk.value);
  }
  reader.releaseLock();
  return text;
}

describe("/api/sse stream (in-process bus, or Redis pub/sub with REDIS_URL)", () => {
  it("forwards only the user's workspaces' events and their own personal ones", async () => {
    const mine = randomUUID();
    const theirs = randomUUID();
    const me = randomUUID();
    const ac = new AbortController();
    const res = openEventStream({
      signal: ac.signal,
      userId: me,
      workspaceIds: new Set([mine]),
      only: null,
      refreshMemberships: async () => new Set([mine]),
      subscribe: subscribeEvents,
    });
    expect(res.headers.get("content-type")).toContain("text/event-stream");
    await readUntil(res, (t) => t.includes("event: ready"));
    await new Promise((r) => setTimeout(r, 150)); // let a Redis subscription settle
    await publishEvent({
      workspaceId: theirs,
      type: "content.published",
      data: { id: "secret-of-another-workspace" },
    });
    await publishEvent({
      workspaceId: mine,
      userId: randomUUID(),
      type: "notification.created",
      data: { id: "someone-elses" },
    });
    await publishEvent({
      workspaceId: mine,
      userId: me,
      type: "notification.created",
      data: { id: "for-me" },
    });
    await publishEvent({ workspaceId: mine, type: "content.published", data: { id: "post-1", title: "Hi" } });
    const text = await readUntil(res, (t) => t.includes("post-1"));
    ac.abort();
    expect(text).toContain("event: content.published");
    expect(text).toContain(`"workspaceId":"${mine}"`);
    expect(text).toContain("for-me");
    expect(text).not.toContain("secret-of-another-workspace");
    expect(text).not.toContain("someone-elses");
  });

  describe("at shutdown", () => {
    // endEventStreams marks the process as stopping for good; the test process goes on.
    afterEach(() => {
      delete (globalThis as { organicSseEnding?: boolean }).organicSseEnding;
    });

    /** The whole body once the stream has ended; rejects if it is still open after `ms`. */
    async function bodyWhenEnded(res: Response, ms = 5000) {
      const timeout = new Promise<never>((_, reject) =>
        setTimeout(() => reject(new Error(`the stream was still open after ${ms} ms`)), ms),
      );
      return Promise.race([res.text(), timeout]);
    }

    const open = (onClose: () => void) =>
      openEventStream({
        signal: new AbortController().signal,
        userId: randomUUID(),
        workspaceIds: new Set([randomUUID()]),
        only: null,
        refreshMemberships: async () => new Set(),
        subscribe: subscribeEvents,
        onClose,
      });

    it("ends every open stream (its slot freed), so a stopping server's responses all finish", async () => {
      let closed = 0;
      const a = open(() => closed++);
      const b = open(() => closed++);
      // Each stream has started (said "ready") and stays open until ended.
      await expect(bodyWhenEnded(a.clone(), 300)).rejects.toThrow("still open");
      expect(endEventStreams()).toBe(2);
      const [textA, textB] = await Promise.all([bodyWhenEnded(a), bodyWhenEnded(b)]);
      expect(textA).toContain("event: ready");
      expect(textB).toContain("event: ready");
      expect(closed).toBe(2);
      // Ended streams are no longer counted.
      expect(endEventStreams()).toBe(0);
    });

    it("a stream opened while the process stops says ready, then ends (the browser reconnects elsewhere)", async () => {
      endEventStreams();
      let closed = 0;
      const text = await bodyWhenEnded(open(() => closed++));
      expect(text).toContain("retry: 3000");
      expect(text).toContain("event: ready");
      expect(closed).toBe(1);
    });
  });
});
