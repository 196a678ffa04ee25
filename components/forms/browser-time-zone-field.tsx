"use client";

import { useEffect, useState } from "react";

/** A hidden `tz` field holding the visitor's IANA time zone, so mail reaches them at their local hour. */
export function BrowserTimeZoneField() {
  const [zone, setZone] = useState("");
  useEffect(() => {
    try {
      setZone(Intl.DateTimeFormat().resolvedOptions().timeZone ?? "");
    } catch {
      setZone("");
    }
  }, []);
  return <input type="hidden" name="tz" value={zone} data-testid="form-time-zone" />;
}
