import { createHash, generateKeyPairSync, randomBytes, sign } from "node:crypto";

/*
 * A software WebAuthn authenticator for tests without a browser: it answers the options better-auth's
 * passkey endpoints hand out with the JSON a browser's navigator.credentials would produce (EC P-256,
 * "none" attestation), signing for the relying-party id those options name, as a browser would.
 */

type CborValue = number | string | Buffer | Map<number | string, CborValue>;

function cborHead(major: number, n: number): Buffer {
  if (n < 24) return Buffer.from([(major << 5) | n]);
  if (n < 0x100) return Buffer.from([(major << 5) | 24, n]);
  const b = Buffer.alloc(3);
  b[0] = (major << 5) | 25;
  b.writeUInt16BE(n, 1);
  return b;
}

/** The few CBOR shapes WebAuthn needs: small integers, text, bytes and maps. */
function cbor(v: CborValue): Buffer {
  if (typeof v === "number") return v >= 0 ? cborHead(0, v) : cborHead(1, -1 - v);
  if (typeof v === "string") return Buffer.concat([cborHead(3, Buffer.byteLength(v)), Buffer.from(v)]);
  if (Buffer.isBuffer(v)) return Buffer.concat([cborHead(2, v.length), v]);
  const parts = [cborHead(5, v.size)];
  for (const [k, val] of v) parts.push(cbor(k), cbor(val));
  return Buffer.concat(parts);
}

const sha256 = (b: Buffer | string) => createHash("sha256").update(b).digest();

const FLAG_UP = 0x01;
const FLAG_UV = 0x04;
const FLAG_AT = 0x40;

export class SoftAuthenticator {
  private readonly keys = generateKeyPairSync("ec", { namedCurve: "P-256" });
  readonly credentialId = randomBytes(16);
  private counter = 0;
  /** The relying party this credential was made for: a real authenticator signs for it only. */
  private rpId: string | undefined;

  get id() {
    return this.credentialId.toString("base64url");
  }

  private authData(rpId: string, flags: number, attested?: Buffer) {
    const count = Buffer.alloc(4);
    count.writeUInt32BE(++this.counter);
    return Buffer.concat([sha256(rpId), Buffer.from([flags]), count, ...(attested ? [attested] : [])]);
  }

  private coseKey() {
    const jwk = this.keys.publicKey.export({ format: "jwk" });
    return cbor(
      new Map<number, CborValue>([
        [1, 2], // kty: EC2
        [3, -7], // alg: ES256
        [-1, 1], // crv: P-256
        [-2, Buffer.from(jwk.x!, "base64url")],
        [-3, Buffer.from(jwk.y!, "base64url")],
      ]),
    );
  }

  /** navigator.credentials.create(): the body's `response` for /passkey/verify-registration. */
  register(options: { challenge: string; rp: { id: string } }, origin: string) {
    this.rpId = options.rp.id;
    const clientData = JSON.stringify({ type: "webauthn.create", challenge: options.challenge, origin });
    const idLength = Buffer.alloc(2);
    idLength.writeUInt16BE(this.credentialId.length);
    const attested = Buffer.concat([Buffer.alloc(16), idLength, this.credentialId, this.coseKey()]);
    const attestationObject = cbor(
      new Map<string, CborValue>([
        ["fmt", "none"],
        ["attStmt", new Map()],
        ["authData", this.authData(options.rp.id, FLAG_UP | FLAG_UV | FLAG_AT, attested)],
      ]),
    );
    return {
      id: this.id,
      rawId: this.id,
      type: "public-key",
      authenticatorAttachment: "platform",
      response: {
        clientDataJSON: Buffer.from(clientData).toString("base64url"),
        attestationObject: attestationObject.toString("base64url"),
        transports: ["internal"],
      },
      clientExtensionResults: {},
    };
  }

  /**
   * navigator.credentials.get(): the body's `response` for /passkey/verify-authentication, signed for
   * the relying party the credential was registered with (as a browser would never offer it to
   * another, this lets a test show the server's check).
   */
  authenticate(options: { challenge: string }, origin: string) {
    if (!this.rpId) throw new Error("register the credential first");
    const clientData = Buffer.from(
      JSON.stringify({ type: "webauthn.get", challenge: options.challenge, origin }),
    );
    const authenticatorData = this.authData(this.rpId, FLAG_UP | FLAG_UV);
    const signature = sign(
      "sha256",
      Buffer.concat([authenticatorData, sha256(clientData)]),
      this.keys.privateKey,
    );
    return {
      id: this.id,
      rawId: this.id,
      type: "public-key",
      authenticatorAttachment: "platform",
      response: {
        clientDataJSON: clientData.toString("base64url"),
        authenticatorData: authenticatorData.toString("base64url"),
        signature: signature.toString("base64url"),
      },
      clientExtensionResults: {},
    };
  }
}
