/** SP-API regions and their hosts; the region list itself is in lib/enums.ts, shared with forms. */
import { AMAZON_REGIONS, type AmazonRegion } from "@/lib/enums";

export { AMAZON_REGIONS, type AmazonRegion };

export const REGION_HOSTS: Record<AmazonRegion, string> = {
  na: "https://sellingpartnerapi-na.amazon.com",
  eu: "https://sellingpartnerapi-eu.amazon.com",
  fe: "https://sellingpartnerapi-fe.amazon.com",
};
