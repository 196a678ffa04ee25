// The `send` benchmark's "bare sender": one nodemailer SMTP pool (MAX_CONNECTIONS connections) that
// sends messages FROM..TO-1 (lead-<n>@example.test) to SMTP_URL as fast as the pool takes them, each
// personalised the way a campaign message is (name in the subject, an HTML and a text part, the
// List-Unsubscribe headers). No database, no queue, no ledger: the ceiling the worker's send path is
// compared with. Prints {"sent", "ms" (elapsed), "cpuMs" (user + system), "peakRssMb"} and exits.
import nodemailer from "nodemailer";

const from = Number(process.env.FROM);
const to = Number(process.env.TO);
const maxConnections = Number(process.env.MAX_CONNECTIONS ?? 25);
const transport = nodemailer.createTransport(
  `${process.env.SMTP_URL}?pool=true&maxConnections=${maxConnections}&maxMessages=Infinity`,
);

const started = Date.now();
let next = from;
let sent = 0;
async function lane() {
  while (next < to) {
    const n = next++;
    await transport.sendMail({
      from: '"Bench Co" <news@bench.example>',
      to: `lead-${n}@example.test`,
      subject: `Hello Lead ${n}`,
      text: `Hi Lead ${n}\n\nYour plan is p${n % 3}.\n\nRead more: https://example.com/a`,
      html: `<!doctype html><html><body><h1>Hi Lead ${n}</h1><p>Your plan is <strong>p${n % 3}</strong>.</p><p><a href="https://example.com/a">Read more</a> · <a href="https://example.com/pricing">Pricing</a></p><p>1 Bench Street, Benchville 12345, Benchland</p></body></html>`,
      headers: {
        "List-Unsubscribe": `<https://bench.example/api/unsubscribe/${n}>`,
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
      },
    });
    sent++;
  }
}
await Promise.all(Array.from({ length: maxConnections }, lane));
transport.close();
const cpu = process.cpuUsage();
const peakRssMb = Math.round(process.resourceUsage().maxRSS / 1024);
process.stdout.write(
  `${JSON.stringify({ sent, ms: Date.now() - started, cpuMs: (cpu.user + cpu.system) / 1000, peakRssMb })}\n`,
);
