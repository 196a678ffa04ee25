import { AMAZON_REGIONS, type AmazonRegion } from "@/lib/enums";

export { AMAZON_REGIONS, type AmazonRegion };

/**
 * Amazon Ads API regions (docs/AMAZON-ATTRIBUTION.md §1): the API host an advertiser's profiles live
 * on, the Login with Amazon authorization page (where a grant is made), and the region's LWA token
 * endpoint.
 */
export const ADS_REGION_ENDPOINTS: Record<AmazonRegion, { api: string; authorize: string; token: string }> = {
  na: {
    api: "https://advertising-api.amazon.com",
    authorize: "https://www.amazon.com/ap/oa",
    token: "https://api.amazon.com/auth/o2/token",
  },
  eu: {
    api: "https://advertising-api-eu.amazon.com",
    authorize: "https://eu.account.amazon.com/ap/oa",
    token: "https://api.amazon.co.uk/auth/o2/token",
  },
  fe: {
    api: "https://advertising-api-fe.amazon.com",
    authorize: "https://apac.account.amazon.com/ap/oa",
    token: "https://api.amazon.co.jp/auth/o2/token",
  },
};
