/** SP-API regions and their hosts; no server-only imports, so forms can use it too. */
export const AMAZON_REGIONS = ["na", "eu", "fe"] as const;
export type AmazonRegion = (typeof AMAZON_REGIONS)[number];

export const REGION_HOSTS: Record<AmazonRegion, string> = {
  na: "https://sellingpartnerapi-na.amazon.com",
  eu: "https://sellingpartnerapi-eu.amazon.com",
  fe: "https://sellingpartnerapi-fe.amazon.com",
};
