"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import {
  Dialog,
  DialogContent,
  DialogDescription,
  DialogFooter,
  DialogHeader,
  DialogTitle,
} from "@/components/ui/dialog";
import { toast } from "@/components/ui/toaster";
import { authClient } from "@/lib/auth-client";
import { BackupCodes } from "./backup-codes";
import { PasswordStep } from "./password-step";
import { TotpSetup } from "./totp-setup";

type Flow =
  | { kind: "enable"; step: "password" }
  | { kind: "enable"; step: "scan"; totpURI: string; backupCodes: string[] }
  | { kind: "enable"; step: "codes"; backupCodes: string[] }
  | { kind: "disable" }
  | { kind: "codes"; backupCodes: string[] | null };

const TITLES: Record<Flow["kind"], string> = {
  enable: "Turn on two-factor authentication",
  disable: "Turn off two-factor authentication",
  codes: "New backup codes",
};

/**
 * Two-factor authentication with an authenticator app: turned on with the password, a QR code
 * and one code from the app, then backup codes shown once; turned off, or given new backup
 * codes (the old ones stop working), with the password.
 */
export function TwoFactorCard({ enabled }: { enabled: boolean }) {
  const router = useRouter();
  const [flow, setFlow] = useState<Flow | null>(null);

  function close() {
    // Enrolment that reached its codes changed the account: the page shows it.
    if (flow?.kind === "enable" && flow.step === "codes") router.refresh();
    setFlow(null);
  }

  return (
    <Card>
      <CardHeader>
        <div className="flex flex-wrap items-center gap-2">
          <CardTitle>Two-factor authentication</CardTitle>
          {enabled ? <Badge variant="success">On</Badge> : <Badge variant="muted">Off</Badge>}
        </div>
        <CardDescription>
          {enabled
            ? "Signing in asks for a code from your authenticator app after your password."
            : "Ask for a code from an authenticator app after your password, so a leaked password alone cannot open your account."}
        </CardDescription>
      </CardHeader>
      <div className="flex flex-wrap gap-2">
        {enabled ? (
          <>
            <Button variant="outline" onClick={() => setFlow({ kind: "codes", backupCodes: null })}>
              New backup codes
            </Button>
            <Button variant="outline" onClick={() => setFlow({ kind: "disable" })}>
              Turn off
            </Button>
          </>
        ) : (
          <Button onClick={() => setFlow({ kind: "enable", step: "password" })}>Turn on</Button>
        )}
      </div>

      <Dialog open={flow !== null} onOpenChange={(open) => (open ? undefined : close())}>
        {flow ? (
          <DialogContent>
            <DialogHeader>
              <DialogTitle>{TITLES[flow.kind]}</DialogTitle>
              <DialogDescription>{describe(flow)}</DialogDescription>
            </DialogHeader>
            <FlowStep
              flow={flow}
              setFlow={setFlow}
              close={close}
              onDisabled={() => {
                setFlow(null);
                toast.success("Two-factor authentication is off.");
                router.refresh();
              }}
            />
          </DialogContent>
        ) : null}
      </Dialog>
    </Card>
  );
}

/** What the dialog shows at each step of a flow. */
function FlowStep({
  flow,
  setFlow,
  close,
  onDisabled,
}: {
  flow: Flow;
  setFlow: (flow: Flow | null) => void;
  close: () => void;
  onDisabled: () => void;
}) {
  if (flow.kind === "enable" && flow.step === "password") {
    return (
      <PasswordStep
        submitLabel="Continue"
        busyLabel="Checking…"
        run={(password, fetchOptions) =>
          authClient.twoFactor.enable({ password, issuer: "Parley" }, fetchOptions)
        }
        onDone={(data) => {
          if (!("totpURI" in data) || !data.totpURI) return;
          setFlow({
            kind: "enable",
            step: "scan",
            totpURI: data.totpURI,
            backupCodes: data.backupCodes ?? [],
          });
        }}
      />
    );
  }
  if (flow.kind === "enable" && flow.step === "scan") {
    return (
      <TotpSetup
        totpURI={flow.totpURI}
        onVerified={() => setFlow({ kind: "enable", step: "codes", backupCodes: flow.backupCodes })}
      />
    );
  }
  if (flow.kind === "disable") {
    return (
      <PasswordStep
        submitLabel="Turn off"
        busyLabel="Turning off…"
        run={(password, fetchOptions) => authClient.twoFactor.disable({ password }, fetchOptions)}
        onDone={onDisabled}
      />
    );
  }
  if (flow.kind === "codes" && flow.backupCodes === null) {
    return (
      <PasswordStep
        submitLabel="Make new codes"
        busyLabel="Making codes…"
        run={(password, fetchOptions) =>
          authClient.twoFactor.generateBackupCodes({ password }, fetchOptions)
        }
        onDone={(data) => setFlow({ kind: "codes", backupCodes: data.backupCodes })}
      />
    );
  }
  const codes = "backupCodes" in flow ? (flow.backupCodes ?? []) : [];
  return (
    <>
      <BackupCodes codes={codes} />
      <DialogFooter>
        <Button onClick={close}>Done</Button>
      </DialogFooter>
    </>
  );
}

function describe(flow: Flow): string {
  if (flow.kind === "disable") {
    return "Signing in will ask only for your password. Enter it to confirm.";
  }
  if (flow.kind === "codes") {
    return flow.backupCodes
      ? "Save these codes somewhere safe. Each signs you in once; the old codes no longer work."
      : "Enter your password. The backup codes you have now will stop working.";
  }
  if (flow.step === "password") return "Enter your password to begin.";
  if (flow.step === "scan") return "Connect your authenticator app.";
  return "Two-factor authentication is on. Save these backup codes somewhere safe: each signs you in once if you lose your authenticator.";
}
