import "server-only";
import { Readable } from "node:stream";
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
  UploadPartCommand,
} from "@aws-sdk/client-s3";
import type { Env } from "@/lib/env";
import { assertS3Credentials, assertSafeKey, type StorageAdapter, StorageNotFoundError } from "./common";

/** Streams are sent in parts of this size (S3's minimum is 5 MiB for all but the last part). */
export const S3_PART_SIZE = 8 * 1024 * 1024;

type S3Env = Pick<
  Env,
  | "S3_BUCKET"
  | "S3_REGION"
  | "S3_ENDPOINT"
  | "S3_ACCESS_KEY_ID"
  | "S3_SECRET_ACCESS_KEY"
  | "S3_FORCE_PATH_STYLE"
>;

export function createS3Client(e: S3Env): S3Client {
  assertS3Credentials(e);
  return new S3Client({
    region: e.S3_REGION,
    endpoint: e.S3_ENDPOINT,
    forcePathStyle: e.S3_FORCE_PATH_STYLE,
    credentials:
      e.S3_ACCESS_KEY_ID && e.S3_SECRET_ACCESS_KEY
        ? { accessKeyId: e.S3_ACCESS_KEY_ID, secretAccessKey: e.S3_SECRET_ACCESS_KEY }
        : undefined,
    // Many S3-compatible services reject the CRC checksums the SDK now adds by default.
    requestChecksumCalculation: e.S3_ENDPOINT ? "WHEN_REQUIRED" : "WHEN_SUPPORTED",
    responseChecksumValidation: e.S3_ENDPOINT ? "WHEN_REQUIRED" : "WHEN_SUPPORTED",
    maxAttempts: 3,
  });
}

/**
 * HEAD on the bucket: resolves when the bucket exists and the credentials may use it; otherwise
 * throws an Error whose message says which of those failed (for `doctor`).
 */
export async function checkS3Bucket(e: S3Env): Promise<void> {
  if (!e.S3_BUCKET) throw new Error("S3_BUCKET is not set");
  const client = createS3Client(e);
  try {
    await client.send(new HeadBucketCommand({ Bucket: e.S3_BUCKET }));
  } catch (err) {
    const status = err instanceof S3ServiceException ? err.$metadata.httpStatusCode : undefined;
    if (status === 404) throw new Error(`bucket ${e.S3_BUCKET} does not exist`);
    if (status === 403 || status === 401)
      throw new Error(`the credentials may not use bucket ${e.S3_BUCKET}`);
    const where = e.S3_ENDPOINT ?? `AWS S3 (${e.S3_REGION})`;
    throw new Error(`could not reach ${where}: ${(err as Error).message || (err as Error).name}`);
  } finally {
    client.destroy();
  }
}

/** `length` bytes of `source` after skipping `skip`; stops reading `source` once they are through. */
function exactRange(source: Readable, skip: number, length: number): Readable {
  return Readable.from(
    (async function* () {
      let toSkip = Math.max(0, skip);
      let left = length;
      try {
        for await (const chunk of source) {
          let buf = chunk as Buffer;
          if (toSkip > 0) {
            const n = Math.min(toSkip, buf.length);
            buf = buf.subarray(n);
            toSkip -= n;
          }
          if (buf.length === 0) continue;
          if (buf.length >= left) {
            yield buf.subarray(0, left);
            return;
          }
          left -= buf.length;
          yield buf;
        }
      } finally {
        source.destroy();
      }
    })(),
    { objectMode: false },
  );
}

function isNotFound(err: unknown): boolean {
  return (
    err instanceof S3ServiceException &&
    (err.name === "NoSuchKey" || err.name === "NotFound" || err.$metadata.httpStatusCode === 404)
  );
}

/** Objects in one bucket of AWS S3 or an S3-compatible service. */
export function createS3Storage(e: S3Env, client: S3Client = createS3Client(e)): StorageAdapter {
  const bucket = e.S3_BUCKET;
  if (!bucket) throw new Error("S3_BUCKET is not set, so files stored in S3 cannot be read");
  const Bucket = bucket;

  /**
   * Streams of unknown length go up as a multipart upload (a single PUT needs the length up front);
   * short ones, under one part, as a single PUT. A failed stream aborts the multipart upload, so no
   * partial object or orphaned parts remain.
   */
  async function putStream(Key: string, body: Readable, ContentType: string): Promise<{ size: number }> {
    let uploadId: string | undefined;
    const parts: { ETag: string | undefined; PartNumber: number }[] = [];
    let pending: Buffer[] = [];
    let pendingBytes = 0;
    let size = 0;

    const flushPart = async () => {
      uploadId ??= (await client.send(new CreateMultipartUploadCommand({ Bucket, Key, ContentType })))
        .UploadId;
      const PartNumber = parts.length + 1;
      const data = Buffer.concat(pending);
      pending = [];
      pendingBytes = 0;
      const res = await client.send(
        new UploadPartCommand({
          Bucket,
          Key,
          UploadId: uploadId,
          PartNumber,
          Body: data,
          ContentLength: data.length,
        }),
      );
      parts.push({ ETag: res.ETag, PartNumber });
    };

    try {
      for await (const chunk of body) {
        const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as Uint8Array);
        pending.push(buf);
        pendingBytes += buf.length;
        size += buf.length;
        if (pendingBytes >= S3_PART_SIZE) await flushPart();
      }
      if (!uploadId) {
        const data = Buffer.concat(pending);
        await client.send(
          new PutObjectCommand({ Bucket, Key, Body: data, ContentType, ContentLength: data.length }),
        );
        return { size };
      }
      if (pendingBytes > 0) await flushPart();
      await client.send(
        new CompleteMultipartUploadCommand({
          Bucket,
          Key,
          UploadId: uploadId,
          MultipartUpload: { Parts: parts },
        }),
      );
      return { size };
    } catch (err) {
      if (uploadId) {
        await client
          .send(new AbortMultipartUploadCommand({ Bucket, Key, UploadId: uploadId }))
          .catch(() => {});
      }
      body.destroy();
      throw err;
    }
  }

  return {
    kind: "s3",

    async put(key, body, contentType) {
      assertSafeKey(key);
      if (Buffer.isBuffer(body)) {
        await client.send(
          new PutObjectCommand({
            Bucket,
            Key: key,
            Body: body,
            ContentType: contentType,
            ContentLength: body.length,
          }),
        );
        return { size: body.length };
      }
      return putStream(key, body, contentType);
    },

    async getStream(key, range) {
      assertSafeKey(key);
      try {
        const res = await client.send(
          new GetObjectCommand({
            Bucket,
            Key: key,
            Range: range ? `bytes=${range.start}-${range.end}` : undefined,
          }),
        );
        // A ranged answer carries the whole size in Content-Range ("bytes 0-99/12345").
        const total = res.ContentRange ? Number(res.ContentRange.split("/")[1]) : res.ContentLength;
        let stream = res.Body as Readable;
        if (range) {
          // Some S3-compatible servers answer a range with more than was asked (the whole object, or
          // `bytes=0-0` as everything): send exactly the range, or the response breaks its length.
          const from = res.ContentRange ? Number(/bytes (\d+)-/.exec(res.ContentRange)?.[1] ?? 0) : 0;
          stream = exactRange(stream, range.start - from, range.end - range.start + 1);
        }
        return {
          stream,
          size: Number.isFinite(total) ? Number(total) : 0,
          contentType: res.ContentType ?? "application/octet-stream",
        };
      } catch (err) {
        if (isNotFound(err)) throw new StorageNotFoundError(key);
        throw err;
      }
    },

    async exists(key) {
      assertSafeKey(key);
      try {
        await client.send(new HeadObjectCommand({ Bucket, Key: key }));
        return true;
      } catch (err) {
        if (isNotFound(err)) return false;
        throw err;
      }
    },

    async delete(key) {
      assertSafeKey(key);
      await client.send(new DeleteObjectCommand({ Bucket, Key: key }));
    },

    async close() {
      client.destroy();
    },
  };
}
