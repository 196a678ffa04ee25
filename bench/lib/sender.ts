/**
 * The sender the send benchmarks give their workspace: an address at the operator's own sender
 * domain (EMAIL_FROM), which needs no DNS proof, and no rate limit.
 */
export const BENCH_EMAIL_FROM = "Bench Co <news@bench.example>";

export const BENCH_SENDER = {
  fromName: "Bench Co",
  fromEmail: "news@bench.example",
  replyTo: "",
  postalAddress: "1 Bench Street, Benchville 12345, Benchland",
  sendRatePerSecond: 0,
};
