import type { ReactNode } from "react";
import { Providers } from "@/app/providers";

/** The signed-in app's data, tooltip and toast providers (the root layout has only the theme). */
export default function AppProvidersLayout({ children }: { children: ReactNode }) {
  return <Providers>{children}</Providers>;
}
