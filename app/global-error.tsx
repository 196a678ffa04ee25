"use client";

import "./globals.css";
import { ErrorPanel } from "@/components/dashboard/error-panel";

export default function GlobalError(props: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <html lang="en">
      <body>
        <ErrorPanel {...props} />
      </body>
    </html>
  );
}
