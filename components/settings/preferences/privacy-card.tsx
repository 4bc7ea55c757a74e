"use client";

import { Card, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { SwitchRow } from "@/components/ui/switch-row";
import { PresenceSwitches } from "./presence-switches";
import { usePreferences } from "./use-preferences";

export function PrivacyCard() {
  const { preferences, save, saving } = usePreferences();
  return (
    <Card>
      <CardHeader>
        <CardTitle>Privacy</CardTitle>
        <CardDescription>
          What other people learn about your reading, where you are and when you were around.
        </CardDescription>
      </CardHeader>
      <SwitchRow
        label="Share read receipts"
        description={
          <>
            When this is off, nobody sees when you have read their messages, and, in return, you do
            not see when others have read yours: your messages show at most &ldquo;delivered&rdquo;.
            Delivery is still shown either way.
          </>
        }
        checked={preferences.readReceipts}
        disabled={saving}
        onCheckedChange={(on) =>
          save({ readReceipts: on }, on ? "Read receipts shared" : "Read receipts hidden")
        }
      />
      <PresenceSwitches />
    </Card>
  );
}
