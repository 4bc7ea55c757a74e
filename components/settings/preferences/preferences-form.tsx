"use client";

import { AppearanceCard } from "./appearance-card";
import { NotificationsCard } from "./notifications-card";
import { PrivacyCard } from "./privacy-card";

/** The typed preferences, each saved as soon as it changes. */
export function PreferencesForm() {
  return (
    <>
      <AppearanceCard />
      <NotificationsCard />
      <PrivacyCard />
    </>
  );
}
